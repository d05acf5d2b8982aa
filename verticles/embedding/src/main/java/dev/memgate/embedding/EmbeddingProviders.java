package dev.memgate.embedding;

import dev.memgate.contract.RequiredConfig;
import dev.memgate.embedding.onnx.OnnxEmbeddingProvider;
import dev.memgate.embedding.onnx.OnnxModels;
import dev.memgate.embedding.remote.OllamaEmbeddingProvider;
import dev.memgate.embedding.remote.OpenAiEmbeddingProvider;
import dev.memgate.remote.GuardOptions;
import io.vertx.core.Vertx;

/** Builds the configured provider. Configuration was validated at start-up; this only wires. */
final class EmbeddingProviders {
  private EmbeddingProviders() {
  }

  static EmbeddingProvider create(Vertx vertx, RequiredConfig config) {
    String provider = config.text("provider");
    String model = config.text("model");
    // Only for a remote model Memgate does not know; without it the server is asked.
    Integer dimensions = config.optionalLongInteger("dimensions").map(Long::intValue).orElse(null);
    return switch (provider) {
      case "onnx" -> new OnnxEmbeddingProvider(vertx,
        OnnxModels.installed().require(model),
        config.integer("threads"));
      case "ollama" -> new OllamaEmbeddingProvider(vertx, config.text("base_url"), model, dimensions,
        GuardOptions.from(config));
      case "openai" -> new OpenAiEmbeddingProvider(vertx, config.text("base_url"),
        config.optionalText("api_key").orElse(""), model, dimensions, GuardOptions.from(config));
      default -> throw new IllegalArgumentException("embedder.provider: unknown provider " + provider);
    };
  }
}
