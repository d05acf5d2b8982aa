package dev.memgate.llm;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.LlmBus;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The LLM verticle on the event bus, in front of an OpenAI-compatible server played by a small Vert.x HTTP server
 * in the test (no model server is reachable from our machines): the reply's shape, the provider's Retry-After, the
 * named 503s, and the circuit as /health reports it (DOWN while open, DEGRADED while a trial call is let through).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class LlmVerticleTest {
  private static final String KEY = "sk-llm-test-key";
  private static final JsonObject FACTS_SCHEMA = new JsonObject().put("type", "object")
    .put("properties", new JsonObject().put("facts", new JsonObject().put("type", "array")
      .put("items", new JsonObject().put("type", "string"))))
    .put("required", new JsonArray().add("facts"));

  /** One scripted refusal of the fake server: a status, and a Retry-After header when not null. */
  private record Refusal(int status, String retryAfter) {
  }

  private Vertx vertx;
  private HttpServer fake;
  private final Queue<Refusal> refusals = new ConcurrentLinkedQueue<>();
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private final List<Long> arrivals = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startFakeProvider(Vertx vertx, VertxTestContext started) {
    this.vertx = vertx;
    vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      arrivals.add(System.nanoTime());
      received.add(body.toJsonObject());
      authorizations.add(String.valueOf(request.getHeader("Authorization")));
      answer(request);
    })).listen(0, "127.0.0.1").onComplete(started.succeeding(listening -> {
      fake = listening;
      started.completeNow();
    }));
  }

  /** The next scripted refusal, or a chat completion whose content is the facts JSON. */
  private void answer(HttpServerRequest request) {
    if (!request.path().equals("/v1/chat/completions")) {
      request.response().setStatusCode(404).end();
      return;
    }
    Refusal refusal = refusals.poll();
    if (refusal != null) {
      if (refusal.retryAfter() != null) {
        request.response().putHeader("Retry-After", refusal.retryAfter());
      }
      // As some servers do: the refusal repeats the credentials it was sent.
      request.response().setStatusCode(refusal.status()).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", new JsonObject().put("message", "refused for "
          + request.getHeader("Authorization")).put("type", "scripted")).encode());
      return;
    }
    request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
      .put("model", "fake-model-2026")
      .put("choices", new JsonArray().add(new JsonObject().put("finish_reason", "stop")
        .put("message", new JsonObject().put("role", "assistant")
          .put("content", new JsonObject().put("facts", new JsonArray().add("Keeps bees")).encode()))))
      .put("usage", new JsonObject().put("prompt_tokens", 12).put("completion_tokens", 5)).encode());
  }

  /** Everything the composition root hands the verticle, with the breaker settings of the test. */
  private Future<String> deploy(int maxRetries, int maxFailures, long resetMs) {
    return vertx.deployVerticle(LlmVerticle::new, new DeploymentOptions().setConfig(new JsonObject()
      .put("provider", "openai")
      .put("model", "fake-model")
      .put("base_url", "http://127.0.0.1:" + fake.actualPort() + "/v1")
      .put("api_key", KEY)
      .put("openai_output", "json_schema")
      .put("temperature", 0.1)
      .put("max_tokens", 500)
      .put("deadline_ms", 5_000)
      .put("max_retries", maxRetries)
      .put("breaker_max_failures", maxFailures)
      .put("breaker_reset_ms", resetMs)));
  }

  private Future<JsonObject> chat() {
    return new BusClient(vertx).request(LlmBus.CHAT, new JsonObject()
      .put(LlmBus.SYSTEM, "Extract facts.")
      .put(LlmBus.MESSAGES, new JsonArray().add(new JsonObject().put(LlmBus.ROLE, "user")
        .put(LlmBus.CONTENT, "I keep bees on the roof")))
      .put(LlmBus.OUTPUT, new JsonObject().put(LlmBus.OUTPUT_NAME, "facts").put(LlmBus.OUTPUT_SCHEMA, FACTS_SCHEMA))
      .put(LlmBus.PURPOSE, "facts"), 5_000 + LlmBus.BUS_MARGIN_MS);
  }

  private Future<JsonObject> health() {
    return new BusClient(vertx).request(LlmBus.HEALTH, new JsonObject(), 5_000);
  }

  /** How a chat that had to fail failed; one that succeeded fails the test instead. */
  private static Future<BusFailure> refusal(Future<JsonObject> chat) {
    return chat.transform(done -> done.failed() ? Future.succeededFuture(BusFailure.from(done.cause()))
      : Future.failedFuture(new AssertionError("expected a failure, got " + done.result())));
  }

  /** Completes once HEALTH reports {@code status}, which the breaker's own timer brings about. */
  private Future<JsonObject> whenHealthIs(String status) {
    Promise<JsonObject> reached = Promise.promise();
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    vertx.setPeriodic(20, timer -> health().onSuccess(health -> {
      if (status.equals(health.getString("status"))) {
        vertx.cancelTimer(timer);
        reached.tryComplete(health);
      } else if (System.nanoTime() > giveUp) {
        vertx.cancelTimer(timer);
        reached.tryFail(new AssertionError("LLM health never became " + status + ": " + health.encode()));
      }
    }));
    return reached.future();
  }

  @Test
  void aChatWithAnOutputSchemaIsAnsweredWithTheParsedJsonAndItsUsage(VertxTestContext testContext) {
    deploy(2, 5, 30_000)
      .compose(deployed -> chat())
      .onComplete(testContext.succeeding(reply -> testContext.verify(() -> {
        assertThat(reply.getJsonObject(LlmBus.JSON)).isEqualTo(new JsonObject()
          .put("facts", new JsonArray().add("Keeps bees")));
        assertThat(reply.getJsonObject(LlmBus.USAGE)).isEqualTo(new JsonObject()
          .put(LlmBus.INPUT_TOKENS, 12).put(LlmBus.OUTPUT_TOKENS, 5));
        assertThat(reply.getString(LlmBus.MODEL)).isEqualTo("fake-model-2026");
        assertThat(reply.getString(LlmBus.PROVIDER)).isEqualTo("openai");
        assertThat(reply.getInteger(LlmBus.ATTEMPTS)).isEqualTo(1);

        JsonObject sent = received.get(0);
        assertThat(sent.getString("model")).isEqualTo("fake-model");
        assertThat(sent.getJsonArray("messages").getJsonObject(0).getString("content")).isEqualTo("Extract facts.");
        assertThat(sent.getJsonObject("response_format").getJsonObject("json_schema").getJsonObject("schema"))
          .isEqualTo(FACTS_SCHEMA);
        assertThat(authorizations).containsExactly("Bearer " + KEY);
        testContext.completeNow();
      })));
  }

  @Test
  void aThrottledCallIsMadeAgainAfterTheProvidersRetryAfter(VertxTestContext testContext) {
    refusals.add(new Refusal(429, "1"));
    deploy(2, 5, 30_000)
      .compose(deployed -> chat())
      .onComplete(testContext.succeeding(reply -> testContext.verify(() -> {
        assertThat(reply.getInteger(LlmBus.ATTEMPTS)).isEqualTo(2);
        assertThat(TimeUnit.NANOSECONDS.toMillis(arrivals.get(1) - arrivals.get(0)))
          .as("the pause the provider asked for").isGreaterThanOrEqualTo(1_000);
        testContext.completeNow();
      })));
  }

  @Test
  void aRejectedKeyIsA503NamingTheSettingToCheckAndNeverTheKey(VertxTestContext testContext) {
    refusals.add(new Refusal(401, null));
    deploy(2, 5, 30_000)
      .compose(deployed -> refusal(chat()))
      .compose(refused -> {
        assertThat(refused.error()).isEqualTo(BusError.UNAVAILABLE);
        assertThat(refused.dependency()).isEqualTo("llm:openai");
        assertThat(refused.detail()).contains("LLM provider openai at http://127.0.0.1:")
          .contains("HTTP 401").contains("check the API key").doesNotContain(KEY);
        assertThat(received).as("a rejection is not retried").hasSize(1);
        return health();
      })
      .onComplete(testContext.succeeding(health -> testContext.verify(() -> {
        assertThat(health.getString("status")).as("a bad key does not open the circuit").isEqualTo("UP");
        assertThat(health.encode()).contains("last_failure").doesNotContain(KEY);
        testContext.completeNow();
      })));
  }

  @Test
  void repeatedServerErrorsOpenTheCircuitUntilATrialCallSucceeds(VertxTestContext testContext) {
    refusals.add(new Refusal(500, null));
    refusals.add(new Refusal(503, null));
    deploy(0, 2, 500)
      .compose(deployed -> refusal(chat()))
      .compose(first -> refusal(chat()))
      .compose(second -> {
        assertThat(second.detail()).contains("HTTP 503");
        return refusal(chat());
      })
      .compose(refused -> {
        assertThat(refused.error()).isEqualTo(BusError.UNAVAILABLE);
        assertThat(refused.dependency()).isEqualTo("llm:openai");
        assertThat(refused.detail()).contains("circuit is open");
        assertThat(received).as("the open circuit kept the third call from the provider").hasSize(2);
        return health();
      })
      .compose(open -> {
        assertThat(open.getString("status")).isEqualTo("DOWN");
        assertThat(open.getJsonObject("breaker").getString("state")).isEqualTo("OPEN");
        return whenHealthIs("DEGRADED");
      })
      // The provider answers again (the script is used up): the trial call closes the circuit.
      .compose(halfOpen -> chat())
      .compose(reply -> {
        assertThat(reply.getJsonObject(LlmBus.JSON).getJsonArray("facts")).containsExactly("Keeps bees");
        return health();
      })
      .onComplete(testContext.succeeding(closed -> testContext.verify(() -> {
        assertThat(closed.getString("status")).isEqualTo("UP");
        assertThat(closed.getJsonObject("breaker").getString("state")).isEqualTo("CLOSED");
        testContext.completeNow();
      })));
  }
}
