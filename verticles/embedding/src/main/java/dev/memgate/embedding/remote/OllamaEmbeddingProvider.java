package dev.memgate.embedding.remote;

import dev.memgate.remote.GuardOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** Ollama's batch endpoint: {@code POST /api/embed {"model","input":[...]}} → {@code {"embeddings":[[...]]}}. */
public final class OllamaEmbeddingProvider extends RemoteEmbeddingProvider {

  public OllamaEmbeddingProvider(Vertx vertx, String baseUrl, String model, Integer dimension, GuardOptions guard) {
    super(vertx, baseUrl, model, dimension, guard);
  }

  @Override
  public String name() {
    return "ollama";
  }

  @Override
  public Future<List<float[]>> embed(List<String> texts, Purpose purpose) {
    JsonObject body = new JsonObject().put("model", model).put("input", new JsonArray(new ArrayList<>(texts)));
    return send("/api/embed", body, request -> { }).compose(reply -> {
      JsonArray embeddings = reply.getJsonArray("embeddings");
      if (embeddings == null) {
        return Future.failedFuture(unavailable("answered without \"embeddings\""));
      }
      List<float[]> vectors = new ArrayList<>(embeddings.size());
      for (int i = 0; i < embeddings.size(); i++) {
        vectors.add(dev.memgate.contract.Vectors.fromJson(embeddings.getJsonArray(i)));
      }
      return Future.succeededFuture(vectors);
    });
  }
}
