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
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The Ollama and OpenAI-compatible embedding providers against a small fake server that speaks each wire format
 * (no such server is reachable from our machines), recording what it was sent. Each test deploys the verticle on
 * the Vert.x instance the extension gives it and talks to it over the event bus.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class RemoteEmbeddingProvidersTest {
  private Vertx vertx;
  private HttpServer fake;
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private final java.util.concurrent.atomic.AtomicInteger unavailableLeft = new java.util.concurrent.atomic
    .AtomicInteger();

  @BeforeEach
  void startFake(Vertx vertx, VertxTestContext started) {
    this.vertx = vertx;
    vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
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
    })).listen(0, "127.0.0.1").onComplete(started.succeeding(listening -> {
      fake = listening;
      started.completeNow();
    }));
  }

  /** Four dimensions that depend on the text, deliberately not of unit length. */
  private static JsonArray fakeVector(String text) {
    return new JsonArray().add(text.length()).add(3.0).add(text.hashCode() % 7).add(1.0);
  }

  /** Deploys the verticle; the extension undeploys it when it closes the Vert.x instance after the test. */
  private Future<String> deploy(JsonObject config) {
    return vertx.deployVerticle(EmbeddingVerticle::new, new DeploymentOptions().setConfig(config));
  }

  private Future<JsonObject> embed(String... texts) {
    return new BusClient(vertx).request(EmbeddingBus.EMBED, new JsonObject()
      .put(EmbeddingBus.TEXTS, new JsonArray(List.of((Object[]) texts))), 30_000);
  }

  private Future<JsonObject> health() {
    return new BusClient(vertx).request(EmbeddingBus.HEALTH, new JsonObject(), 5_000);
  }

  /** How a request that had to fail failed; one that succeeded fails the test instead. */
  private static Future<BusFailure> refusal(Future<?> request) {
    return request.transform(done -> done.failed() ? Future.succeededFuture(BusFailure.from(done.cause()))
      : Future.failedFuture(new AssertionError("expected a failure, got " + done.result())));
  }

  private String base() {
    return "http://127.0.0.1:" + fake.actualPort();
  }

  @Test
  void ollamaGetsOneBatchCallAndVectorsComeBackNormalisedInOrder(VertxTestContext testContext) {
    deploy(EmbeddingTestConfig.remote("ollama", base(), "tiny-embed").put("dimensions", 4))
      .compose(deployed -> embed("first text", "second"))
      .onComplete(testContext.succeeding(reply -> testContext.verify(() -> {
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getString("model")).isEqualTo("tiny-embed");
        assertThat(received.get(0).getJsonArray("input")).containsExactly("first text", "second");
        float[] first = Vectors.fromJson(reply.getJsonArray(EmbeddingBus.VECTORS).getJsonArray(0));
        float[] expected = Vectors.normalize(Vectors.fromJson(fakeVector("first text")));
        assertThat(first).containsExactly(expected, within(1e-6f));
        assertThat(reply.getString(EmbeddingBus.MODEL)).isEqualTo("tiny-embed");
        testContext.completeNow();
      })));
  }

  @Test
  void openAiSendsTheKeyAsBearerAndOrdersByIndex(VertxTestContext testContext) {
    deploy(EmbeddingTestConfig.remote("openai", base() + "/v1", "text-embedding-3-small")
      .put("api_key", "sk-test").put("dimensions", 4))
      .compose(deployed -> embed("alpha", "beta beta", "gamma"))
      .onComplete(testContext.succeeding(reply -> testContext.verify(() -> {
        assertThat(authorizations).containsExactly("Bearer sk-test");
        for (int i = 0; i < 3; i++) {
          String text = List.of("alpha", "beta beta", "gamma").get(i);
          assertThat(Vectors.fromJson(reply.getJsonArray(EmbeddingBus.VECTORS).getJsonArray(i)))
            .containsExactly(Vectors.normalize(Vectors.fromJson(fakeVector(text))), within(1e-6f));
        }
        testContext.completeNow();
      })));
  }

  @Test
  void aKnownModelNeedsNoServerAtStartUpAndAnUnreachableOneIsA503NamingIt(VertxTestContext testContext) {
    deploy(EmbeddingTestConfig.remote("ollama", "http://127.0.0.1:9", "nomic-embed-text"))
      .compose(deployed -> refusal(embed("hello")))
      .onComplete(testContext.succeeding(unavailable -> testContext.verify(() -> {
        assertThat(unavailable.error()).isEqualTo(BusError.UNAVAILABLE);
        assertThat(unavailable.dependency()).isEqualTo("embedding:ollama");
        assertThat(unavailable.detail()).contains("ollama").contains("http://127.0.0.1:9");
        testContext.completeNow();
      })));
  }

  @Test
  void aServerErrorIsA503WithTheStatusAndNeverTheKey(VertxTestContext testContext) {
    status = 500;
    deploy(EmbeddingTestConfig.remote("openai", base() + "/v1", "text-embedding-3-small")
      .put("api_key", "sk-should-not-leak"))
      .compose(deployed -> refusal(embed("hello")))
      .onComplete(testContext.succeeding(unavailable -> testContext.verify(() -> {
        assertThat(unavailable.error()).isEqualTo(BusError.UNAVAILABLE);
        assertThat(unavailable.detail()).contains("HTTP 500").doesNotContain("sk-should-not-leak");
        testContext.completeNow();
      })));
  }

  @Test
  void neitherAnEchoedKeyNorThePasswordOfTheBaseUrlIsShown(VertxTestContext testContext) {
    status = 401;
    deploy(EmbeddingTestConfig.remote("openai",
      "http://proxy:url-pass-4711@127.0.0.1:" + fake.actualPort() + "/v1", "text-embedding-3-small")
      .put("api_key", "plain words key"))
      .compose(deployed -> refusal(embed("hello")))
      .compose(unavailable -> {
        assertThat(authorizations).containsExactly("Bearer plain words key");
        assertThat(unavailable.detail()).contains("HTTP 401").contains("code invalid_api_key").contains("bad key")
          .contains("http://proxy:***@127.0.0.1").doesNotContain("plain words key").doesNotContain("url-pass-4711");
        return health();
      })
      .onComplete(testContext.succeeding(health -> testContext.verify(() -> {
        assertThat(health.encode()).contains("last_failure").doesNotContain("plain words key")
          .doesNotContain("url-pass-4711");
        testContext.completeNow();
      })));
  }

  @Test
  void aServerThatIsBrieflyUnavailableIsAskedAgain(VertxTestContext testContext) {
    unavailableLeft.set(1);
    deploy(EmbeddingTestConfig.remote("ollama", base(), "tiny-embed").put("dimensions", 4))
      .compose(deployed -> embed("hello"))
      .compose(reply -> {
        assertThat(reply.getJsonArray(EmbeddingBus.VECTORS)).hasSize(1);
        assertThat(received).hasSize(2);
        return health();
      })
      .onComplete(testContext.succeeding(health -> testContext.verify(() -> {
        assertThat(health.getJsonObject("breaker").getLong("retries")).isEqualTo(1);
        testContext.completeNow();
      })));
  }

  @Test
  void repeatedServerErrorsOpenTheCircuitAndThenCallsFailWithoutReachingTheServer(VertxTestContext testContext) {
    status = 500;
    deploy(EmbeddingTestConfig.remote("openai", base() + "/v1", "text-embedding-3-small")
      .put("max_retries", 0).put("breaker_max_failures", 2).put("breaker_reset_ms", 60_000))
      .compose(deployed -> refusal(embed("text 0")))
      .compose(first -> refusal(embed("text 1")))
      .compose(second -> refusal(embed("text 3")))
      .compose(refused -> {
        assertThat(received).hasSize(2);
        assertThat(refused.error()).isEqualTo(BusError.UNAVAILABLE);
        assertThat(refused.detail()).contains("circuit is open");
        assertThat(refused.dependency()).isEqualTo("embedding:openai");
        return health();
      })
      .onComplete(testContext.succeeding(health -> testContext.verify(() -> {
        assertThat(health.getString("status")).isEqualTo("DOWN");
        assertThat(health.getJsonObject("breaker").getString("state")).isEqualTo("OPEN");
        testContext.completeNow();
      })));
  }

  @Test
  void anUnknownModelAsksTheServerForItsSizeOnce(VertxTestContext testContext) {
    deploy(EmbeddingTestConfig.remote("ollama", base(), "some-new-model"))
      .compose(deployed -> health())
      .onComplete(testContext.succeeding(health -> testContext.verify(() -> {
        assertThat(health.getInteger("dimension")).isEqualTo(4);
        assertThat(received).hasSize(1);
        testContext.completeNow();
      })));
  }
}
