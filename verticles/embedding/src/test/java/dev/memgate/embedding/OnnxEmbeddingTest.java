package dev.memgate.embedding;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.EmbeddingBus;
import dev.memgate.contract.Vectors;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The in-process ONNX model behind the embedding bus address, as the memory service uses it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxEmbeddingTest {
  private Vertx vertx;
  private BusClient bus;

  @BeforeAll
  void deploy() {
    vertx = Vertx.vertx();
    vertx.deployVerticle(EmbeddingVerticle::new, new DeploymentOptions().setConfig(new JsonObject()
      .put("provider", "onnx").put("model", "all-minilm-l6-v2").put("batch_size", 8).put("cache_size", 0))).await();
    bus = new BusClient(vertx);
  }

  @AfterAll
  void close() {
    vertx.close().await();
  }

  private List<float[]> embed(String purpose, String... texts) {
    JsonObject reply = bus.request(EmbeddingBus.EMBED, new JsonObject()
      .put(EmbeddingBus.TEXTS, new JsonArray(List.of((Object[]) texts)))
      .put(EmbeddingBus.PURPOSE, purpose), 30_000).await();
    assertThat(reply.getString(EmbeddingBus.MODEL)).isEqualTo("all-minilm-l6-v2");
    assertThat(reply.getInteger(EmbeddingBus.DIMENSION)).isEqualTo(384);
    List<float[]> vectors = new ArrayList<>();
    reply.getJsonArray(EmbeddingBus.VECTORS).forEach(v -> vectors.add(Vectors.fromJson((JsonArray) v)));
    return vectors;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot;
  }

  @Test
  void vectorsAreUnitLengthAndCloseForSentencesThatMeanTheSame() {
    List<float[]> v = embed("document", "I moved to Lisbon in May", "She relocated to Lisbon this spring",
      "The quarterly tax report is due on Friday");
    for (float[] vector : v) {
      assertThat(vector).hasSize(384);
      assertThat(cosine(vector, vector)).isCloseTo(1.0, within(1e-4));
    }
    assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(2)) + 0.2);
  }

  /**
   * The baselines that make thresholds model-independent: health reports them once the model has loaded, every
   * vector comes with the search one, a question and the memory that answers it lie well above the search
   * baseline, a question and an unrelated memory near it.
   */
  @Test
  void healthReportsTheModelsBaselinesAndAnAnswerLiesWellAboveTheSearchOne() {
    JsonObject health = bus.request(EmbeddingBus.READY, new JsonObject(), 60_000).await();
    double words = health.getDouble(EmbeddingBus.SIMILARITY_BASELINE);
    double search = health.getDouble(EmbeddingBus.SEARCH_BASELINE);
    assertThat(words).isBetween(0.05, 0.5);
    assertThat(search).isBetween(0.0, 0.5);

    float[] question = embed("query", "Where does her sister live?").get(0);
    List<float[]> memories = embed("document", "My sister lives in Canada with her husband",
      "My favourite food is Neapolitan pizza");
    assertThat(cosine(question, memories.get(0))).isGreaterThan(search + 0.3);
    assertThat(cosine(question, memories.get(1))).isCloseTo(search, within(0.15));
    JsonObject reply = bus.request(EmbeddingBus.EMBED, new JsonObject().put(EmbeddingBus.TEXTS,
      new JsonArray().add("Where does her sister live?")).put(EmbeddingBus.PURPOSE, "query"), 30_000).await();
    assertThat(reply.getDouble(EmbeddingBus.SEARCH_BASELINE)).isEqualTo(search);
  }

  /** Padding a short text to the longest text of its batch must not change its vector. */
  @Test
  void aTextGetsTheSameVectorAloneAndInABatchOfLongerTexts() {
    float[] alone = embed("document", "coffee").get(0);
    List<float[]> batch = embed("document", "a much longer sentence about the history of coffee in Ethiopia and "
      + "Yemen, the spread of coffee houses and the rise of espresso in Italy", "coffee");
    assertThat(cosine(alone, batch.get(1))).isCloseTo(1.0, within(1e-4));
  }

  @Test
  void concurrentRequestsAreBatchedAndEachGetsItsOwnVectors() {
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      replies.add(bus.request(EmbeddingBus.EMBED, new JsonObject()
        .put(EmbeddingBus.TEXTS, new JsonArray().add("request number " + i + " about topic " + (i % 3)))
        .put(EmbeddingBus.PURPOSE, "document"), 30_000));
    }
    Future.all(replies).await();
    JsonObject health = bus.request(EmbeddingBus.HEALTH, new JsonObject(), 5_000).await();
    assertThat(health.getLong("texts_embedded")).isGreaterThanOrEqualTo(40);
    assertThat(health.getLong("calls")).isLessThan(health.getLong("texts_embedded"));
    float[] first = Vectors.fromJson(replies.get(0).result().getJsonArray(EmbeddingBus.VECTORS).getJsonArray(0));
    float[] again = embed("document", "request number 0 about topic 0").get(0);
    assertThat(cosine(first, again)).isCloseTo(1.0, within(1e-4));
  }

  @Test
  void anEmptyTextIsRefusedNamingIt() {
    Throwable failure = bus.request(EmbeddingBus.EMBED, new JsonObject()
        .put(EmbeddingBus.TEXTS, new JsonArray().add("fine").add("  ")), 5_000)
      .transform(done -> Future.succeededFuture(done.cause())).await();
    BusFailure refused = BusFailure.from(failure);
    assertThat(refused.error()).isEqualTo(BusError.BAD_INPUT);
    assertThat(refused.field()).isEqualTo("texts[1]");
  }
}
