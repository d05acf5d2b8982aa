package dev.memgate.embedding;

import dev.memgate.embedding.onnx.OnnxEmbeddingProvider;
import dev.memgate.embedding.onnx.OnnxModel;
import dev.memgate.embedding.onnx.OnnxModels;
import dev.memgate.embedding.remote.OllamaEmbeddingProvider;
import dev.memgate.embedding.remote.OpenAiEmbeddingProvider;
import dev.memgate.remote.GuardOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Builds the configured provider. Configuration was validated at start-up; this only wires. */
final class EmbeddingProviders {
  private EmbeddingProviders() {
  }

  static EmbeddingProvider create(Vertx vertx, JsonObject config) {
    String provider = config.getString("provider", "onnx");
    String model = config.getString("model");
    Integer dimensions = config.getInteger("dimensions");
    GuardOptions guard = GuardOptions.from(config, 20_000L);
    return switch (provider) {
      case "onnx" -> new OnnxEmbeddingProvider(vertx,
        OnnxModels.installed().require(model == null ? OnnxModel.DEFAULT.id() : model),
        config.getInteger("threads", Runtime.getRuntime().availableProcessors()));
      case "ollama" -> new OllamaEmbeddingProvider(vertx, config.getString("base_url"),
        model == null ? "nomic-embed-text" : model, dimensions, guard);
      case "openai" -> new OpenAiEmbeddingProvider(vertx, config.getString("base_url"), config.getString("api_key"),
        model == null ? "text-embedding-3-small" : model, dimensions, guard);
      default -> throw new IllegalArgumentException("embedder.provider: unknown provider " + provider);
    };
  }
}
