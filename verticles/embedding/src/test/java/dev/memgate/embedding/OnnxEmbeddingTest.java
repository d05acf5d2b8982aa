package dev.memgate.embedding;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.EmbeddingBus;
import dev.memgate.contract.Vectors;
import dev.memgate.embedding.onnx.OnnxModel;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The in-process ONNX model behind the embedding bus address, as the memory service uses it: the verticle is
 * deployed once, on the Vert.x instance the extension keeps for the class (and closes after it).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxEmbeddingTest {
  private BusClient bus;

  @BeforeAll
  void deploy(Vertx vertx, VertxTestContext deployed) {
    bus = new BusClient(vertx);
    vertx.deployVerticle(EmbeddingVerticle::new, new DeploymentOptions().setConfig(EmbeddingTestConfig.onnx(
      OnnxModel.DEFAULT.id()).put("batch_size", 8).put("cache_size", 0)))
      .onComplete(deployed.succeedingThenComplete());
  }

  private Future<JsonObject> request(String purpose, String... texts) {
    return bus.request(EmbeddingBus.EMBED, new JsonObject()
      .put(EmbeddingBus.TEXTS, new JsonArray(List.of((Object[]) texts)))
      .put(EmbeddingBus.PURPOSE, purpose), 30_000);
  }

  /** The vectors of one reply, after checking that it names the model and its size. */
  private static List<float[]> vectorsOf(JsonObject reply) {
    assertThat(reply.getString(EmbeddingBus.MODEL)).isEqualTo(OnnxModel.DEFAULT.id());
    assertThat(reply.getInteger(EmbeddingBus.DIMENSION)).isEqualTo(384);
    List<float[]> vectors = new ArrayList<>();
    reply.getJsonArray(EmbeddingBus.VECTORS).forEach(v -> vectors.add(Vectors.fromJson((JsonArray) v)));
    return vectors;
  }

  private Future<List<float[]>> embed(String purpose, String... texts) {
    return request(purpose, texts).map(OnnxEmbeddingTest::vectorsOf);
  }

  private Future<JsonObject> health() {
    return bus.request(EmbeddingBus.HEALTH, new JsonObject(), 5_000);
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot;
  }

  @Test
  void vectorsAreUnitLengthAndCloseForSentencesThatMeanTheSame(VertxTestContext testContext) {
    embed("document", "I moved to Lisbon in May", "She relocated to Lisbon this spring",
      "The quarterly tax report is due on Friday")
      .onComplete(testContext.succeeding(v -> testContext.verify(() -> {
        for (float[] vector : v) {
          assertThat(vector).hasSize(384);
          assertThat(cosine(vector, vector)).isCloseTo(1.0, within(1e-4));
        }
        assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(2)) + 0.2);
        testContext.completeNow();
      })));
  }

  /**
   * The baselines that make thresholds model-independent: health reports them once the model has loaded, every
   * vector comes with the search one, a question and the memory that answers it lie well above the search
   * baseline, a question and an unrelated memory near it.
   */
  @Test
  void healthReportsTheModelsBaselinesAndAnAnswerLiesWellAboveTheSearchOne(VertxTestContext testContext) {
    // READY answers once the model has loaded and its baselines are measured (HEALTH may still say STARTING).
    Future<JsonObject> health = bus.request(EmbeddingBus.READY, new JsonObject(), 60_000);
    Future<JsonObject> questionReply = request("query", "Where does her sister live?");
    Future<List<float[]>> memories = embed("document", "My sister lives in Canada with her husband",
      "My favourite food is Neapolitan pizza");
    Future.all(health, questionReply, memories).onComplete(testContext.succeeding(all -> testContext.verify(() -> {
      double words = health.result().getDouble(EmbeddingBus.SIMILARITY_BASELINE);
      double search = health.result().getDouble(EmbeddingBus.SEARCH_BASELINE);
      assertThat(words).isBetween(0.05, 0.95);
      assertThat(search).isBetween(0.0, 0.95);
      // Every vector comes with the search baseline it is to be read against.
      assertThat(questionReply.result().getDouble(EmbeddingBus.SEARCH_BASELINE)).isEqualTo(search);
      // Models spread their cosines differently (the default e5 puts unrelated texts near 0.7, MiniLM near 0.1),
      // so "well above" and "near" are measured in the room between the baseline and a perfect match.
      double room = 1 - search;
      float[] asked = vectorsOf(questionReply.result()).get(0);
      assertThat(cosine(asked, memories.result().get(0))).isGreaterThan(search + 0.25 * room);
      assertThat(cosine(asked, memories.result().get(1))).isCloseTo(search, within(0.15 * room));
      testContext.completeNow();
    })));
  }

  /**
   * Padding a short text to the longest text of its batch must not change its vector (beyond what the default
   * model's int8 weights allow: its activations are quantised per batch, which moves a vector by a few thousandths).
   */
  @Test
  void aTextGetsTheSameVectorAloneAndInABatchOfLongerTexts(VertxTestContext testContext) {
    Future<List<float[]>> alone = embed("document", "coffee");
    Future<List<float[]>> batch = embed("document", "a much longer sentence about the history of coffee in Ethiopia "
      + "and Yemen, the spread of coffee houses and the rise of espresso in Italy", "coffee");
    Future.all(alone, batch).onComplete(testContext.succeeding(all -> testContext.verify(() -> {
      assertThat(cosine(alone.result().get(0), batch.result().get(1))).isCloseTo(1.0, within(0.005));
      testContext.completeNow();
    })));
  }

  /**
   * Forty requests in flight at once: each is answered with one vector of its own (a checkpoint per reply), and
   * the model was called fewer times than there were texts, because the batcher put them together.
   */
  @Test
  void concurrentRequestsAreBatchedAndEachGetsItsOwnVectors(VertxTestContext testContext) {
    int requests = 40;
    Checkpoint answered = testContext.checkpoint(requests);
    Checkpoint batched = testContext.checkpoint();
    List<Future<List<float[]>>> replies = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      Future<List<float[]>> reply = embed("document", "request number " + i + " about topic " + (i % 3));
      reply.onComplete(testContext.succeeding(vectors -> testContext.verify(() -> {
        assertThat(vectors).hasSize(1);
        assertThat(vectors.get(0)).hasSize(384);
        answered.flag();
      })));
      replies.add(reply);
    }
    Future.all(replies)
      .compose(all -> health())
      .compose(health -> {
        assertThat(health.getLong("texts_embedded")).isGreaterThanOrEqualTo(requests);
        assertThat(health.getLong("calls")).isLessThan(health.getLong("texts_embedded"));
        return embed("document", "request number 0 about topic 0");
      })
      .onComplete(testContext.succeeding(again -> testContext.verify(() -> {
        assertThat(cosine(replies.get(0).result().get(0), again.get(0))).isCloseTo(1.0, within(1e-4));
        batched.flag();
      })));
  }

  @Test
  void anEmptyTextIsRefusedNamingIt(VertxTestContext testContext) {
    bus.request(EmbeddingBus.EMBED, new JsonObject()
        .put(EmbeddingBus.TEXTS, new JsonArray().add("fine").add("  ")), 5_000)
      .onComplete(testContext.failing(failure -> testContext.verify(() -> {
        BusFailure refused = BusFailure.from(failure);
        assertThat(refused.error()).isEqualTo(BusError.BAD_INPUT);
        assertThat(refused.field()).isEqualTo("texts[1]");
        testContext.completeNow();
      })));
  }
}
