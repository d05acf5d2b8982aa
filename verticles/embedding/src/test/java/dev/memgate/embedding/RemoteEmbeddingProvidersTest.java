package dev.memgate.embedding;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.EmbeddingBus;
import dev.memgate.contract.Vectors;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The Ollama and OpenAI-compatible embedding providers against a small fake server that speaks each wire format
 * (no such server is reachable from our machines), recording what it was sent.
 */
class RemoteEmbeddingProvidersTest {
  private Vertx vertx;
  private HttpServer fake;
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private final java.util.concurrent.atomic.AtomicInteger unavailableLeft = new java.util.concurrent.atomic
    .AtomicInteger();

  @BeforeEach
  void startFake() {
    vertx = Vertx.vertx();
    fake = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      JsonObject json = body.toJsonObject();
      received.add(json);
      authorizations.add(String.valueOf(request.getHeader("Authorization")));
      if (unavailableLeft.getAndDecrement() > 0) {
        request.response().setStatusCode(503).end("{\"error\":\"loading model\"}");
        return;
      }
      if (status == 401) {
        // As some servers do: the refusal repeats the credentials it was sent.
        request.response().setStatusCode(401).end(new JsonObject().put("error", new JsonObject()
          .put("message", "bad key " + request.getHeader("Authorization")).put("code", "invalid_api_key")).encode());
        return;
      }
      if (status != 200) {
        request.response().setStatusCode(status).end("{\"error\":\"model not loaded\"}");
        return;
      }
      JsonArray input = json.getJsonArray("input");
      switch (request.path()) {
        case "/api/embed" -> {
          JsonArray embeddings = new JsonArray();
          input.forEach(text -> embeddings.add(fakeVector((String) text)));
          request.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("model", json.getString("model")).put("embeddings", embeddings).encode());
        }
        case "/v1/embeddings" -> {
          List<JsonObject> data = new ArrayList<>();
          for (int i = 0; i < input.size(); i++) {
            data.add(new JsonObject().put("object", "embedding").put("index", i)
              .put("embedding", fakeVector(input.getString(i))));
          }
          Collections.reverse(data); // the order of "data" is not promised; "index" is
          request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
            .put("object", "list").put("data", new JsonArray(new ArrayList<>(data))).put("model",
              json.getString("model")).encode());
        }
        default -> request.response().setStatusCode(404).end();
      }
    })).listen(0, "127.0.0.1").await();
  }

  /** Four dimensions that depend on the text, deliberately not of unit length. */
  private static JsonArray fakeVector(String text) {
    return new JsonArray().add(text.length()).add(3.0).add(text.hashCode() % 7).add(1.0);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private BusClient deploy(JsonObject config) {
    vertx.deployVerticle(EmbeddingVerticle::new, new DeploymentOptions().setConfig(config)).await();
    return new BusClient(vertx);
  }

  private String base() {
    return "http://127.0.0.1:" + fake.actualPort();
  }

  @Test
  void ollamaGetsOneBatchCallAndVectorsComeBackNormalisedInOrder() {
    BusClient bus = deploy(new JsonObject().put("provider", "ollama").put("base_url", base())
      .put("model", "tiny-embed").put("dimensions", 4));
    JsonObject reply = bus.request(EmbeddingBus.EMBED, new JsonObject()
      .put(EmbeddingBus.TEXTS, new JsonArray().add("first text").add("second")), 10_000).await();

    assertThat(received).hasSize(1);
    assertThat(received.get(0).getString("model")).isEqualTo("tiny-embed");
    assertThat(received.get(0).getJsonArray("input")).containsExactly("first text", "second");
    float[] first = Vectors.fromJson(reply.getJsonArray(EmbeddingBus.VECTORS).getJsonArray(0));
    float[] expected = Vectors.normalize(Vectors.fromJson(fakeVector("first text")));
    assertThat(first).containsExactly(expected, within(1e-6f));
    assertThat(reply.getString(EmbeddingBus.MODEL)).isEqualTo("tiny-embed");
  }

  @Test
  void openAiSendsTheKeyAsBearerAndOrdersByIndex() {
    BusClient bus = deploy(new JsonObject().put("provider", "openai").put("base_url", base() + "/v1")
      .put("api_key", "sk-test").put("model", "text-embedding-3-small").put("dimensions", 4));
    JsonObject reply = bus.request(EmbeddingBus.EMBED, new JsonObject()
      .put(EmbeddingBus.TEXTS, new JsonArray().add("alpha").add("beta beta").add("gamma")), 10_000).await();

    assertThat(authorizations).containsExactly("Bearer sk-test");
    for (int i = 0; i < 3; i++) {
      String text = List.of("alpha", "beta beta", "gamma").get(i);
      assertThat(Vectors.fromJson(reply.getJsonArray(EmbeddingBus.VECTORS).getJsonArray(i)))
        .containsExactly(Vectors.normalize(Vectors.fromJson(fakeVector(text))), within(1e-6f));
    }
  }

  @Test
  void aKnownModelNeedsNoServerAtStartUpAndAnUnreachableOneIsA503NamingIt() {
    BusClient bus = deploy(new JsonObject().put("provider", "ollama").put("base_url", "http://127.0.0.1:9")
      .put("model", "nomic-embed-text"));
    Throwable failure = bus.request(EmbeddingBus.EMBED, new JsonObject()
        .put(EmbeddingBus.TEXTS, new JsonArray().add("hello")), 30_000)
      .transform(done -> Future.succeededFuture(done.cause())).await();

    BusFailure unavailable = BusFailure.from(failure);
    assertThat(unavailable.error()).isEqualTo(BusError.UNAVAILABLE);
    assertThat(unavailable.dependency()).isEqualTo("embedding:ollama");
    assertThat(unavailable.detail()).contains("ollama").contains("http://127.0.0.1:9");
  }

  @Test
  void aServerErrorIsA503WithTheStatusAndNeverTheKey() {
    status = 500;
    BusClient bus = deploy(new JsonObject().put("provider", "openai").put("base_url", base() + "/v1")
      .put("api_key", "sk-should-not-leak").put("model", "text-embedding-3-small"));
    Throwable failure = bus.request(EmbeddingBus.EMBED, new JsonObject()
        .put(EmbeddingBus.TEXTS, new JsonArray().add("hello")), 30_000)
      .transform(done -> Future.succeededFuture(done.cause())).await();

    BusFailure unavailable = BusFailure.from(failure);
    assertThat(unavailable.error()).isEqualTo(BusError.UNAVAILABLE);
    assertThat(unavailable.detail()).contains("HTTP 500").doesNotContain("sk-should-not-leak");
  }

  @Test
  void neitherAnEchoedKeyNorThePasswordOfTheBaseUrlIsShown() {
    status = 401;
    BusClient bus = deploy(new JsonObject().put("provider", "openai")
      .put("base_url", "http://proxy:url-pass-4711@127.0.0.1:" + fake.actualPort() + "/v1")
      .put("api_key", "plain words key").put("model", "text-embedding-3-small"));
    Throwable failure = bus.request(EmbeddingBus.EMBED, new JsonObject()
        .put(EmbeddingBus.TEXTS, new JsonArray().add("hello")), 30_000)
      .transform(done -> Future.succeededFuture(done.cause())).await();
    JsonObject health = bus.request(EmbeddingBus.HEALTH, new JsonObject(), 5_000).await();

    assertThat(authorizations).containsExactly("Bearer plain words key");
    BusFailure unavailable = BusFailure.from(failure);
    assertThat(unavailable.detail()).contains("HTTP 401").contains("code invalid_api_key").contains("bad key")
      .contains("http://proxy:***@127.0.0.1").doesNotContain("plain words key").doesNotContain("url-pass-4711");
    assertThat(health.encode()).contains("last_failure").doesNotContain("plain words key")
      .doesNotContain("url-pass-4711");
  }

  @Test
  void aServerThatIsBrieflyUnavailableIsAskedAgain() {
    unavailableLeft.set(1);
    BusClient bus = deploy(new JsonObject().put("provider", "ollama").put("base_url", base())
      .put("model", "tiny-embed").put("dimensions", 4));
    JsonObject reply = bus.request(EmbeddingBus.EMBED, new JsonObject()
      .put(EmbeddingBus.TEXTS, new JsonArray().add("hello")), 10_000).await();

    assertThat(reply.getJsonArray(EmbeddingBus.VECTORS)).hasSize(1);
    assertThat(received).hasSize(2);
    JsonObject health = bus.request(EmbeddingBus.HEALTH, new JsonObject(), 5_000).await();
    assertThat(health.getJsonObject("breaker").getLong("retries")).isEqualTo(1);
  }

  @Test
  void repeatedServerErrorsOpenTheCircuitAndThenCallsFailWithoutReachingTheServer() {
    status = 500;
    BusClient bus = deploy(new JsonObject().put("provider", "openai").put("base_url", base() + "/v1")
      .put("model", "text-embedding-3-small").put("max_retries", 0).put("breaker_max_failures", 2)
      .put("breaker_reset_ms", 60_000));
    for (int i = 0; i < 2; i++) {
      bus.request(EmbeddingBus.EMBED, new JsonObject().put(EmbeddingBus.TEXTS, new JsonArray().add("text " + i)),
        10_000).transform(done -> Future.succeededFuture()).await();
    }
    Throwable refused = bus.request(EmbeddingBus.EMBED, new JsonObject()
        .put(EmbeddingBus.TEXTS, new JsonArray().add("text 3")), 10_000)
      .transform(done -> Future.succeededFuture(done.cause())).await();

    assertThat(received).hasSize(2);
    assertThat(BusFailure.from(refused).detail()).contains("circuit is open");
    assertThat(BusFailure.from(refused).dependency()).isEqualTo("embedding:openai");
    JsonObject health = bus.request(EmbeddingBus.HEALTH, new JsonObject(), 5_000).await();
    assertThat(health.getString("status")).isEqualTo("DOWN");
    assertThat(health.getJsonObject("breaker").getString("state")).isEqualTo("OPEN");
  }

  @Test
  void anUnknownModelAsksTheServerForItsSizeOnce() {
    BusClient bus = deploy(new JsonObject().put("provider", "ollama").put("base_url", base())
      .put("model", "some-new-model"));
    JsonObject health = bus.request(EmbeddingBus.HEALTH, new JsonObject(), 5_000).await();
    assertThat(health.getInteger("dimension")).isEqualTo(4);
    assertThat(received).hasSize(1);
  }
}
