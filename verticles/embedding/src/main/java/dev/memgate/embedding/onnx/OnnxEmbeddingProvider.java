package dev.memgate.embedding.onnx;

import dev.memgate.embedding.EmbeddingProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The embedded default: an ONNX model inside the jar, run on one dedicated worker thread (ONNX Runtime spreads each
 * batch over the cores itself), so the event loops never wait for it.
 */
public final class OnnxEmbeddingProvider implements EmbeddingProvider {
  private final Vertx vertx;
  private final OnnxModel model;
  private final int threads;
  private WorkerExecutor worker;
  private OnnxEncoder encoder;

  public OnnxEmbeddingProvider(Vertx vertx, OnnxModel model, int threads) {
    this.vertx = vertx;
    this.model = model;
    this.threads = threads;
  }

  @Override
  public String name() {
    return "onnx";
  }

  @Override
  public String model() {
    return model.id();
  }

  @Override
  public int dimension() {
    return model.dimension();
  }

  @Override
  public Future<Void> start() {
    worker = vertx.createSharedWorkerExecutor("memgate-onnx", 1, 10, TimeUnit.MINUTES);
    // No warm-up call of its own: the embedding service measures the model's baselines right after, which warms it.
    return worker.executeBlocking(() -> {
      encoder = new OnnxEncoder(model, threads);
      return null;
    });
  }

  @Override
  public Future<List<float[]>> embed(List<String> texts, Purpose purpose) {
    return worker.executeBlocking(() -> encoder.encode(texts, purpose == Purpose.QUERY));
  }

  @Override
  public int maxConcurrentCalls() {
    return 1;
  }

  @Override
  public JsonObject describe() {
    return new JsonObject().put("threads", threads).put("runtime", "onnxruntime (in process)");
  }

  @Override
  public Future<Void> close() {
    if (worker == null) {
      return Future.succeededFuture();
    }
    return worker.executeBlocking(() -> {
      if (encoder != null) {
        encoder.close();
      }
      return null;
    }).compose(v -> worker.close());
  }
}
