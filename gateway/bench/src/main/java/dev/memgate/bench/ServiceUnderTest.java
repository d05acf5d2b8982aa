package dev.memgate.bench;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.EmbeddingBus;
import dev.memgate.contract.Vectors;
import dev.memgate.gateway.GatewayVerticle;
import dev.memgate.gateway.config.Settings;
import dev.memgate.gateway.http.HttpVerticle;
import dev.memgate.vector.MemoryStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole service, started in this JVM exactly as {@code Main} starts it (its own Vert.x, the gateway verticle,
 * real HTTP on a free loopback port) over the benchmark's data directory.
 */
final class ServiceUnderTest implements AutoCloseable {
  private final Vertx vertx;
  private final Settings settings;
  private final int port;
  private boolean stopped;

  private ServiceUnderTest(Vertx vertx, Settings settings, int port) {
    this.vertx = vertx;
    this.settings = settings;
    this.port = port;
  }

  /** The built-in defaults, plus only what the benchmark must choose: where, which store, any free port. */
  static Settings settings(StoreTarget store, Path dataDir) {
    return settings(store, dataDir, Map.of());
  }

  /** As {@link #settings(StoreTarget, Path)}, with {@code extra} environment variables over them. */
  static Settings settings(StoreTarget store, Path dataDir, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(store.serviceEnvironment(dataDir));
    env.put("MEMGATE_DATA_DIR", dataDir.toString());
    env.put("MEMGATE_HTTP_PORT", "0");
    // The benchmark speaks REST only; its MCP listener must not compete for 8765 with a service already running.
    env.put("MEMGATE_MCP_PORT", "0");
    env.putAll(extra);
    return Settings.load(env, null);
  }

  static ServiceUnderTest start(Settings settings) {
    Vertx vertx = Vertx.vertx();
    try {
      vertx.deployVerticle(new GatewayVerticle(settings)).await();
    } catch (RuntimeException e) {
      vertx.close().await();
      throw new BenchFailure("the service did not start: " + e.getMessage(), e);
    }
    return new ServiceUnderTest(vertx, settings, HttpVerticle.actualPort(vertx));
  }

  int port() {
    return port;
  }

  Settings settings() {
    return settings;
  }

  /** The model and vector size the store was built for, as the embedding service reports them. */
  MemoryStore.EmbeddingSpec embedding() {
    JsonObject health = bus().request(EmbeddingBus.HEALTH, new JsonObject(), EmbeddingBus.TIMEOUT_MS).await();
    return new MemoryStore.EmbeddingSpec(health.getString(EmbeddingBus.MODEL),
      health.getInteger(EmbeddingBus.DIMENSION));
  }

  /**
   * The vectors the service searches with for these queries, one request each as a search makes it, so that the
   * direct phase searches with exactly what the HTTP phase did (queries just searched come from its cache).
   */
  List<float[]> queryVectors(List<Question> questions) {
    List<float[]> vectors = new ArrayList<>(questions.size());
    for (Question question : questions) {
      JsonObject request = new JsonObject()
        .put(EmbeddingBus.TEXTS, new JsonArray().add(question.text()))
        .put(EmbeddingBus.PURPOSE, EmbeddingBus.PURPOSE_QUERY);
      JsonObject reply = bus().request(EmbeddingBus.EMBED, request, EmbeddingBus.TIMEOUT_MS).await();
      vectors.add(Vectors.fromJson(reply.getJsonArray(EmbeddingBus.VECTORS).getJsonArray(0)));
    }
    return vectors;
  }

  private BusClient bus() {
    return new BusClient(vertx);
  }

  /** Stops every verticle (the store commits and lets go of its files) and the service's Vert.x. */
  @Override
  public void close() {
    if (!stopped) {
      stopped = true;
      vertx.close().await();
    }
  }
}
