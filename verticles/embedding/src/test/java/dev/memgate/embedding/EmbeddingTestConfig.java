package dev.memgate.embedding;

import io.vertx.core.json.JsonObject;

/**
 * Complete embedding verticle configurations for the tests of this module, which run without the gateway that
 * builds the real one from conf/memgate.yaml. The values are that file's defaults; a test puts over them what it is
 * about.
 */
final class EmbeddingTestConfig {
  private EmbeddingTestConfig() {
  }

  /** The in-process provider with {@code model}. */
  static JsonObject onnx(String model) {
    return new JsonObject()
      .put("provider", "onnx")
      .put("model", model)
      .put("batch_size", 32)
      .put("cache_size", 4096)
      .put("threads", Runtime.getRuntime().availableProcessors());
  }

  /** A remote provider (ollama or openai) at {@code baseUrl} serving {@code model}, guarded as by default. */
  static JsonObject remote(String provider, String baseUrl, String model) {
    return new JsonObject()
      .put("provider", provider)
      .put("base_url", baseUrl)
      .put("model", model)
      .put("batch_size", 32)
      .put("cache_size", 4096)
      .put("deadline_ms", 20_000)
      .put("max_retries", 2)
      .put("breaker_max_failures", 5)
      .put("breaker_reset_ms", 30_000);
  }
}
