package dev.memgate.embedding.remote;

import dev.memgate.contract.Vectors;
import dev.memgate.remote.GuardOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Any OpenAI-compatible server: {@code POST {base}/embeddings {"model","input":[...]}} →
 * {@code {"data":[{"index","embedding"}]}}, with the key as a bearer token.
 */
public final class OpenAiEmbeddingProvider extends RemoteEmbeddingProvider {
  private final String apiKey;

  public OpenAiEmbeddingProvider(Vertx vertx, String baseUrl, String apiKey, String model, Integer dimension,
                                 GuardOptions guard) {
    super(vertx, baseUrl, model, dimension, guard);
    this.apiKey = apiKey;
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public Future<List<float[]>> embed(List<String> texts, Purpose purpose) {
    JsonObject body = new JsonObject().put("model", model).put("input", new JsonArray(new ArrayList<>(texts)));
    return send("/embeddings", body, request -> {
      if (apiKey != null && !apiKey.isBlank()) {
        request.bearerTokenAuthentication(apiKey);
      }
    }).compose(reply -> {
      JsonArray data = reply.getJsonArray("data");
      if (data == null || data.size() != texts.size()) {
        return Future.failedFuture(unavailable("answered without one \"data\" item per input"));
      }
      float[][] ordered = new float[texts.size()][];
      for (int i = 0; i < data.size(); i++) {
        JsonObject item = data.getJsonObject(i);
        int index = item.getInteger("index", i);
        if (index < 0 || index >= ordered.length) {
          return Future.failedFuture(unavailable("answered an item with index " + index));
        }
        ordered[index] = Vectors.fromJson(item.getJsonArray("embedding"));
      }
      return Future.succeededFuture(Arrays.asList(ordered));
    });
  }
}
