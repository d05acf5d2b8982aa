package dev.memgate.bench;

import dev.memgate.embedding.EmbeddingProvider;
import dev.memgate.embedding.onnx.OnnxEmbeddingProvider;
import dev.memgate.embedding.onnx.OnnxModel;
import io.vertx.core.Vertx;

import java.util.List;

/**
 * Times the query embedding alone: the service's embedding model, loaded a second time in this JVM on its own
 * Vert.x, called for one query at a time (no bus, no cache, no batching with other requests). That is what every
 * new search query pays before the store is asked. Phase 2 calls it right after each HTTP search, so that both
 * figures see the same machine, however busy it is.
 */
final class QueryEmbeddingTimer implements AutoCloseable {
  private final Vertx vertx;
  private final OnnxEmbeddingProvider provider;

  private QueryEmbeddingTimer(Vertx vertx, OnnxEmbeddingProvider provider) {
    this.vertx = vertx;
    this.provider = provider;
  }

  /**
   * @param model   the model the service embeds with (the benchmark runs the service with the in-process default)
   * @param threads ONNX Runtime threads, as the service configured them
   */
  static QueryEmbeddingTimer start(String model, int threads) {
    OnnxModel onnx = OnnxModel.byId(model).orElseThrow(() -> new BenchFailure("the service embeds with " + model
      + ", which is not an in-process ONNX model the benchmark can time alone"));
    Vertx vertx = Vertx.vertx();
    OnnxEmbeddingProvider provider = new OnnxEmbeddingProvider(vertx, onnx, threads);
    try {
      provider.start().await();
    } catch (RuntimeException e) {
      vertx.close().await();
      throw new BenchFailure("cannot load the embedding model " + model + " to time it: " + e.getMessage(), e);
    }
    return new QueryEmbeddingTimer(vertx, provider);
  }

  void warmUp(List<Question> questions) {
    questions.forEach(this::time);
  }

  /** Embeds the query and returns how long it took, in nanoseconds. */
  long time(Question question) {
    long begin = System.nanoTime();
    provider.embed(List.of(question.text()), EmbeddingProvider.Purpose.QUERY).await();
    return System.nanoTime() - begin;
  }

  @Override
  public void close() {
    try {
      provider.close().await();
    } finally {
      vertx.close().await();
    }
  }
}
