package dev.memgate.embedding;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.EmbeddingBus;
import dev.memgate.embedding.onnx.OnnxModel;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-process model loads beside the rest of the start (it takes about a second): the service is deployed
 * before it has loaded, says so in its health, and a request that arrives meanwhile waits for the model instead of
 * failing.
 */
class ModelLoadingTest {

  @Test
  void requestsThatArriveWhileTheModelLoadsWaitForItAndHealthSaysItIsStarting() {
    Vertx vertx = Vertx.vertx();
    try {
      vertx.deployVerticle(EmbeddingVerticle::new, new DeploymentOptions().setConfig(
        EmbeddingTestConfig.onnx(OnnxModel.DEFAULT.id()).put("cache_size", 0))).await();
      BusClient bus = new BusClient(vertx);

      // Deployed: the model (tens of megabytes read, an inference session built) is still loading.
      JsonObject starting = bus.request(EmbeddingBus.HEALTH, new JsonObject(), 5_000).await();
      assertThat(starting.getString("status")).isEqualTo("STARTING");
      assertThat(starting.getString("reason")).contains("loading the model");
      assertThat(starting.getString("model")).isEqualTo("e5-small-v2-q");
      assertThat(starting.getInteger("dimension")).isEqualTo(384);

      Future<JsonObject> early = bus.request(EmbeddingBus.EMBED, new JsonObject()
        .put(EmbeddingBus.TEXTS, new JsonArray().add("I moved to Lisbon in May"))
        .put(EmbeddingBus.PURPOSE, "document"), 60_000);
      JsonObject vectors = early.await();
      assertThat(vectors.getJsonArray(EmbeddingBus.VECTORS).getJsonArray(0)).hasSize(384);

      JsonObject ready = bus.request(EmbeddingBus.HEALTH, new JsonObject(), 5_000).await();
      assertThat(ready.getString("status")).isEqualTo("UP");
      assertThat(ready.containsKey("reason")).isFalse();
      assertThat(ready.getDouble(EmbeddingBus.SEARCH_BASELINE)).isPositive();
    } finally {
      vertx.close().await();
    }
  }
}
