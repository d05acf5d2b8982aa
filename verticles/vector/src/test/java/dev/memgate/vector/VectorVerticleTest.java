package dev.memgate.vector;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.Fields;
import dev.memgate.contract.VectorBus;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vector verticle over the event bus, as the memory service calls it, on the embedded Lucene store in a fresh
 * directory: writes and reads keep to their scope, a store refuses an embedder it was not built with, and requests
 * it cannot serve fail with a typed failure naming the field (never a timeout, never a 500).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class VectorVerticleTest {
  private static final String AT = "2026-11-23T10:00:00.000Z";

  @TempDir
  Path dataDir;
  private Vertx vertx;
  private BusClient bus;

  @BeforeEach
  void bus(Vertx vertx) {
    this.vertx = vertx;
    this.bus = new BusClient(vertx);
  }

  /** What the composition root hands the verticle for the embedded store. */
  private Future<String> deploy(String model, int dimension) {
    return vertx.deployVerticle(VectorVerticle::new, new DeploymentOptions().setConfig(new JsonObject()
      .put("store", "lucene").put("data_dir", dataDir.toString()).put("read_threads", 2)
      .put("embedding_model", model).put("embedding_dimension", dimension)));
  }

  private static JsonObject record(String user, String text, float... vector) {
    JsonArray values = new JsonArray();
    for (float v : vector) {
      values.add(v);
    }
    return new JsonObject().put(Fields.ID, UUID.randomUUID().toString()).put(Fields.MEMORY, text)
      .put(Fields.HASH, "hash-" + text).put(Fields.USER_ID, user).put(Fields.METADATA, new JsonObject())
      .put(Fields.CREATED_AT, AT).put(Fields.UPDATED_AT, AT).put(VectorBus.VECTOR, values);
  }

  private Future<JsonObject> insert(JsonObject... records) {
    return bus.request(VectorBus.INSERT, new JsonObject().put(VectorBus.RECORDS, new JsonArray(List.of(
      (Object[]) records))), VectorBus.TIMEOUT_MS);
  }

  private static List<String> texts(JsonObject reply) {
    return reply.getJsonArray(Fields.RESULTS).stream().map(r -> ((JsonObject) r).getString(Fields.MEMORY)).toList();
  }

  @Test
  void memoriesWrittenOverTheBusAreFoundBestFirstWithinTheirScopeOnly(VertxTestContext testContext) {
    JsonObject scopeOfAlice = new JsonObject().put(Fields.USER_ID, "alice");
    deploy("test-model", 4)
      .compose(deployed -> insert(record("alice", "likes green tea", 1, 0, 0, 0),
        record("alice", "plays chess on sundays", 0, 1, 0, 0),
        record("bob", "likes green tea too", 1, 0, 0, 0)))
      .compose(inserted -> {
        assertThat(inserted.getJsonArray(Fields.RESULTS).stream().map(r -> ((JsonObject) r).getString(Fields.EVENT)))
          .containsExactly("ADD", "ADD", "ADD");
        return insert(record("alice", "likes green tea", 1, 0, 0, 0));
      })
      .compose(again -> {
        assertThat(again.getJsonArray(Fields.RESULTS).getJsonObject(0).getString(Fields.EVENT))
          .as("the same text in the same scope is kept once").isEqualTo("NONE");
        return bus.request(VectorBus.SEARCH, new JsonObject().put(VectorBus.SCOPE, scopeOfAlice)
          .put(VectorBus.VECTOR, new JsonArray().add(0.9).add(0.1).add(0).add(0)).put(Fields.QUERY, "tea")
          .put(Fields.LIMIT, 5).put(Fields.MODE, "vector"), VectorBus.TIMEOUT_MS);
      })
      .onComplete(testContext.succeeding(found -> testContext.verify(() -> {
        assertThat(texts(found)).containsExactly("likes green tea", "plays chess on sundays");
        JsonObject best = found.getJsonArray(Fields.RESULTS).getJsonObject(0);
        assertThat(best.getString(Fields.USER_ID)).isEqualTo("alice");
        assertThat(best.getDouble(Fields.SCORE)).isGreaterThan(found.getJsonArray(Fields.RESULTS).getJsonObject(1)
          .getDouble(Fields.SCORE));
        testContext.completeNow();
      })));
  }

  @Test
  void aStoreBuiltWithAnotherEmbedderRefusesToDeployNamingBoth(VertxTestContext testContext) {
    deploy("test-model", 4)
      .compose(vertx::undeploy)
      .onComplete(testContext.succeeding(undeployed -> deploy("other-model", 8)
        .onComplete(testContext.failing(refused -> testContext.verify(() -> {
          assertThat(refused.getMessage()).contains("built with embedding model test-model (4 dimensions)")
            .contains("the configured embedder is other-model (8 dimensions)");
          testContext.completeNow();
        })))));
  }

  /** Three bad requests at once; each is answered with its own typed failure (a checkpoint each). */
  @Test
  void requestsItCannotServeFailWithATypedFailureNamingTheField(VertxTestContext testContext) {
    Checkpoint refusals = testContext.checkpoint(3);
    deploy("test-model", 4).onComplete(testContext.succeeding(deployed -> {
      expectFailure(testContext, refusals, bus.request(VectorBus.GET,
        new JsonObject().put(Fields.MEMORY_ID, "no-such-memory"), VectorBus.TIMEOUT_MS), failure ->
        assertThat(failure.error()).isEqualTo(BusError.NOT_FOUND));
      expectFailure(testContext, refusals, bus.request(VectorBus.APPLY, new JsonObject()
        .put(VectorBus.SCOPE, new JsonObject().put(Fields.USER_ID, "alice"))
        .put(VectorBus.CHANGES, new JsonArray().add(new JsonObject().put(Fields.EVENT, "MERGE"))),
        VectorBus.TIMEOUT_MS), failure -> {
          assertThat(failure.error()).isEqualTo(BusError.BAD_INPUT);
          assertThat(failure.field()).isEqualTo("changes[0].event");
        });
      expectFailure(testContext, refusals, bus.request(VectorBus.DELETE_SCOPE,
        new JsonObject().put(VectorBus.SCOPE, new JsonObject()), VectorBus.TIMEOUT_MS), failure -> {
          assertThat(failure.error()).as("never 'delete everything' by accident").isEqualTo(BusError.BAD_INPUT);
          assertThat(failure.field()).isEqualTo(Fields.USER_ID);
        });
    }));
  }

  private static void expectFailure(VertxTestContext testContext, Checkpoint checkpoint, Future<JsonObject> request,
                                    Consumer<BusFailure> check) {
    request.onComplete(testContext.failing(failure -> testContext.verify(() -> {
      check.accept(BusFailure.from(failure));
      checkpoint.flag();
    })));
  }
}
