package dev.memgate.gateway.addons;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.EmbeddingBus;
import dev.memgate.contract.Vectors;
import dev.memgate.embedding.EmbeddingVerticle;
import dev.memgate.embedding.onnx.OnnxModel;
import dev.memgate.embedding.onnx.OnnxModels;
import dev.memgate.gateway.config.Settings;
import dev.memgate.gateway.config.VerticleConfigs;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every model Memgate ships, the runtime's default and each model add-on (found through ServiceLoader, as a running
 * service finds the add-on jars beside it), chosen by {@code embedder.model}: it is installed, loads, reports its
 * name and size, and ranks a question's answer above unrelated passages (which fails when pooling or the
 * query/passage markers are wrong).
 */
class EmbeddingModelsTest {
  private static final List<String> PASSAGES = List.of(
    "Caroline: I went to an LGBTQ support group yesterday and it was so powerful",
    "Melanie: I painted a sunrise over the lake last week",
    "The quarterly tax report is due on Friday",
    "Melanie: We went camping in the mountains with the kids");

  static Stream<String> shippedModels() {
    return Stream.concat(Stream.of(OnnxModel.DEFAULT.id()), OnnxModels.publishedAddOns().stream());
  }

  @ParameterizedTest
  @MethodSource("shippedModels")
  void eachShippedModelEmbedsAndRanksAQuestionsAnswerFirst(String id) {
    OnnxModel model = OnnxModels.installed().require(id);
    Vertx vertx = Vertx.vertx();
    try {
      // The embedding verticle's configuration as the service builds it, with this model and no cache.
      JsonObject config = new VerticleConfigs(Settings.load(Map.of("EMBEDDER_MODEL", model.id()), null)).embedding()
        .put("cache_size", 0);
      vertx.deployVerticle(EmbeddingVerticle::new, new DeploymentOptions().setConfig(config)).await();
      BusClient bus = new BusClient(vertx);

      List<float[]> passages = embed(bus, model, "document", PASSAGES.toArray(String[]::new));
      float[] support = embed(bus, model, "query", "When did Caroline go to the support group?").get(0);
      float[] camping = embed(bus, model, "query", "Where did Melanie camp with her family?").get(0);

      for (float[] vector : passages) {
        assertThat(dot(vector, vector)).isCloseTo(1.0, within(1e-4));
      }
      assertThat(best(support, passages)).isEqualTo(0);
      assertThat(best(camping, passages)).isEqualTo(3);
    } finally {
      vertx.close().await();
    }
  }

  private static List<float[]> embed(BusClient bus, OnnxModel model, String purpose, String... texts) {
    JsonObject reply = bus.request(EmbeddingBus.EMBED, new JsonObject()
      .put(EmbeddingBus.TEXTS, new JsonArray(List.of((Object[]) texts)))
      .put(EmbeddingBus.PURPOSE, purpose), 60_000).await();
    assertThat(reply.getString(EmbeddingBus.MODEL)).isEqualTo(model.id());
    assertThat(reply.getInteger(EmbeddingBus.DIMENSION)).isEqualTo(384);
    List<float[]> vectors = new ArrayList<>();
    reply.getJsonArray(EmbeddingBus.VECTORS).forEach(v -> vectors.add(Vectors.fromJson((JsonArray) v)));
    vectors.forEach(v -> assertThat(v).hasSize(384));
    return vectors;
  }

  private static int best(float[] query, List<float[]> passages) {
    int best = -1;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < passages.size(); i++) {
      double score = dot(query, passages.get(i));
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    return best;
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
