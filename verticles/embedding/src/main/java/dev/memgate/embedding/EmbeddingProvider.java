package dev.memgate.embedding;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** One way of turning texts into vectors. Implementations may block only on their own threads. */
public interface EmbeddingProvider {

  /** Short provider name, as configured: onnx, ollama, openai. */
  String name();

  /** The model name recorded in the store, so that a store is never searched with another model's vectors. */
  String model();

  int dimension();

  /** Loads what the provider needs; fails with a clear message when it cannot. */
  Future<Void> start();

  /** Embeds texts in order; vectors need not be normalised (the service does it). */
  Future<List<float[]>> embed(List<String> texts, Purpose purpose);

  /** How many provider calls may run at once; the batcher keeps to it. */
  int maxConcurrentCalls();

  /** Provider-specific facts for /health (never secrets). */
  JsonObject describe();

  Future<Void> close();

  enum Purpose {
    DOCUMENT, QUERY;

    public static Purpose parse(String text) {
      return "query".equalsIgnoreCase(text) ? QUERY : DOCUMENT;
    }
  }
}
