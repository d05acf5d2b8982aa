package dev.memgate.vector.pgvector;

import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailureException;
import dev.memgate.contract.Scope;
import dev.memgate.vector.HistoryEntry;
import dev.memgate.vector.MemoryRecord;
import dev.memgate.vector.MemoryStore;
import dev.memgate.vector.MemoryStore.EmbeddingSpec;
import dev.memgate.vector.MemoryStore.InsertOutcome;
import dev.memgate.vector.MemoryStore.ScoredMemory;
import dev.memgate.vector.MemoryStore.SearchMode;
import dev.memgate.vector.MemoryStore.SearchQuery;
import dev.memgate.vector.filter.Filter;
import dev.memgate.vector.filter.FilterParser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pgvector store against a real PostgreSQL, in a database of its own per test. */
class PgVectorMemoryStoreTest {
  private static final EmbeddingSpec SPEC = new EmbeddingSpec("test-model", 4);

  private Vertx vertx;
  private TestDatabase database;
  private final List<MemoryStore> stores = new ArrayList<>();

  @BeforeEach
  void freshDatabase() {
    vertx = Vertx.vertx();
    database = new TestDatabase(vertx);
  }

  @AfterEach
  void dropDatabase() {
    stores.forEach(s -> s.close().await());
    database.close();
    vertx.close().await();
  }

  private PgVectorMemoryStore open(JsonObject extra) {
    PgVectorMemoryStore store = new PgVectorMemoryStore(vertx, database.storeConfig().mergeIn(extra));
    stores.add(store);
    store.open(SPEC).await();
    return store;
  }

  private static MemoryRecord memory(Scope scope, String text, float... vector) {
    String now = "2026-11-23T10:00:00.000Z";
    return new MemoryRecord(UUID.randomUUID().toString(), text, "hash-of-" + text, scope, null, "user",
      new JsonObject().put("topic", "t"), now, now, vector);
  }

  @Test
  void twoNodesAddingTheSameTextToTheSameScopeAtOnceStoreItOnce() {
    PgVectorMemoryStore first = open(new JsonObject());
    PgVectorMemoryStore second = open(new JsonObject());
    Scope scope = new Scope("alice", null, null);
    List<Future<List<InsertOutcome>>> adds = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      MemoryStore store = i % 2 == 0 ? first : second;
      adds.add(store.insert(List.of(memory(scope, "I like tea", 1, 0, 0, 0), memory(scope, "I like jazz", 0, 1, 0, 0))));
    }
    Future.join(adds).await();

    List<InsertOutcome> outcomes = adds.stream().flatMap(f -> f.result().stream()).toList();
    assertThat(outcomes.stream().filter(o -> o.event().equals(InsertOutcome.ADD))).hasSize(2);
    assertThat(outcomes.stream().map(o -> o.record().id()).distinct()).hasSize(2);
    assertThat(first.list(scope, Filter.MATCH_ALL, 100).await()).hasSize(2);
    // Another scope keeps its own copy of the same text.
    assertThat(second.insert(List.of(memory(new Scope("alice", "agent", null), "I like tea", 1, 0, 0, 0))).await()
      .get(0).event()).isEqualTo(InsertOutcome.ADD);
  }

  @Test
  void aDuplicateInsideOneBatchIsReportedAsTheFirst() {
    PgVectorMemoryStore store = open(new JsonObject());
    Scope scope = new Scope("bob", null, "run-1");
    List<InsertOutcome> outcomes = store.insert(List.of(memory(scope, "hi", 1, 0, 0, 0),
      memory(scope, "hi", 1, 0, 0, 0))).await();
    assertThat(outcomes.get(0).event()).isEqualTo(InsertOutcome.ADD);
    assertThat(outcomes.get(1).event()).isEqualTo(InsertOutcome.NONE);
    assertThat(outcomes.get(1).record().id()).isEqualTo(outcomes.get(0).record().id());
  }

  @Test
  void everyChangeLeavesAHistoryRowThatOutlivesTheMemoryUntilItsScopeIsErased() {
    PgVectorMemoryStore store = open(new JsonObject());
    Scope scope = new Scope("carol", null, null);
    Scope other = new Scope("dave", null, null);
    MemoryRecord kept = memory(scope, "first text", 1, 0, 0, 0);
    MemoryRecord deleted = memory(scope, "short-lived", 0, 1, 0, 0);
    MemoryRecord stranger = memory(other, "someone else's", 0, 0, 1, 0);
    store.insert(List.of(kept, deleted, stranger)).await();
    MemoryStore.UpdateOutcome updated = store.update(new MemoryStore.MemoryPatch(kept.id(), "second text",
      "hash-2", new float[] {0, 0, 0, 1}, new JsonObject().put("topic", null).put("mood", "good"),
      "2026-11-23T11:00:00.000Z")).await();
    store.delete(deleted.id(), "2026-11-23T12:00:00.000Z").await();

    assertThat(updated.previousText()).isEqualTo("first text");
    assertThat(updated.record().metadata()).isEqualTo(new JsonObject().put("mood", "good"));
    assertThat(store.get(kept.id()).await().text()).isEqualTo("second text");
    assertThat(store.history(kept.id()).await()).extracting(HistoryEntry::event, HistoryEntry::oldMemory,
      HistoryEntry::newMemory).containsExactly(
        org.assertj.core.groups.Tuple.tuple("ADD", null, "first text"),
        org.assertj.core.groups.Tuple.tuple("UPDATE", "first text", "second text"));
    assertThat(store.history(deleted.id()).await()).extracting(HistoryEntry::event, HistoryEntry::isDeleted)
      .containsExactly(org.assertj.core.groups.Tuple.tuple("ADD", false),
        org.assertj.core.groups.Tuple.tuple("DELETE", true));
    assertNotFound(store.get(deleted.id()));

    assertThat(store.deleteScope(scope).await()).isEqualTo(1);
    assertThat(store.history(kept.id()).await()).isEmpty();
    assertThat(store.history(deleted.id()).await()).isEmpty();
    assertThat(store.history(stranger.id()).await()).hasSize(1);
    assertThat(store.get(stranger.id()).await().text()).isEqualTo("someone else's");

    store.reset().await();
    assertNotFound(store.get(stranger.id()));
    assertThat(database.client().query("SELECT count(*) FROM memgate_history").execute().await().iterator().next()
      .getLong(0)).isZero();
  }

  @Test
  void unknownIdsAreNotFound() {
    PgVectorMemoryStore store = open(new JsonObject());
    assertNotFound(store.get("nope"));
    assertNotFound(store.delete("nope", "2026-11-23T12:00:00.000Z"));
    assertNotFound(store.update(new MemoryStore.MemoryPatch("nope", null, null, null, new JsonObject(),
      "2026-11-23T12:00:00.000Z")));
  }

  @Test
  void listIsNewestFirstAndSearchIsBestFirstWithTheCosineAsScore() {
    PgVectorMemoryStore store = open(new JsonObject());
    Scope scope = new Scope("erin", null, null);
    List<MemoryRecord> records = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String at = "2026-11-2" + i + "T10:00:00.000Z";
      records.add(new MemoryRecord(UUID.randomUUID().toString(), "memory about topic " + i, "h" + i, scope, null,
        null, new JsonObject(), at, at, unit(1, i, 0, 0)));
    }
    store.insert(records).await();

    assertThat(store.list(scope, Filter.MATCH_ALL, 10).await()).extracting(MemoryRecord::text).containsExactly(
      "memory about topic 4", "memory about topic 3", "memory about topic 2", "memory about topic 1",
      "memory about topic 0");
    List<ScoredMemory> hits = store.search(new SearchQuery(scope, unit(1, 0, 0, 0), "q", Filter.MATCH_ALL, 3, null,
      SearchMode.VECTOR, false)).await();
    assertThat(hits).extracting(h -> h.record().text()).containsExactly("memory about topic 0",
      "memory about topic 1", "memory about topic 2");
    assertThat(hits.get(0).score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(hits.get(1).score()).isCloseTo(1 / Math.sqrt(2), org.assertj.core.data.Offset.offset(1e-6));
    assertThat(store.search(new SearchQuery(scope, unit(1, 0, 0, 0), "q", Filter.MATCH_ALL, 5, 0.9,
      SearchMode.VECTOR, false)).await()).hasSize(1);
    assertThat(store.search(new SearchQuery(scope, null, "topics 3", Filter.MATCH_ALL, 5, null,
      SearchMode.KEYWORD, false)).await()).extracting(h -> h.record().text()).first().isEqualTo("memory about topic 3");
    assertThat(store.search(new SearchQuery(scope, null, "the and of", Filter.MATCH_ALL, 5, null,
      SearchMode.KEYWORD, false)).await()).isEmpty();
  }

  /**
   * A user with a handful of memories among thousands of another's: even when the search is forced through the
   * HNSW index with a tiny scan budget (so the index alone finds too few), it returns k results, the true nearest.
   */
  @Test
  void aSmallScopeAmongManyRowsGetsItsKNearestThroughTheIndexPath() {
    PgVectorMemoryStore store = open(new JsonObject().put("exact_search_below", 0).put("max_scan_tuples", 50)
      .put("ef_search", 10));
    Random random = new Random(7);
    Scope crowd = new Scope("crowd", null, null);
    for (int batch = 0; batch < 10; batch++) {
      List<MemoryRecord> many = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        many.add(memory(crowd, "crowd " + batch + "-" + i, randomUnit(random)));
      }
      store.insert(many).await();
    }
    Scope small = new Scope("small", null, null);
    List<MemoryRecord> mine = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      mine.add(memory(small, "mine " + i, randomUnit(random)));
    }
    store.insert(mine).await();
    float[] query = randomUnit(random);

    List<ScoredMemory> hits = store.search(new SearchQuery(small, query, "q", Filter.MATCH_ALL, 10, null,
      SearchMode.VECTOR, false)).await();

    List<String> expected = mine.stream().sorted(Comparator.comparingDouble(r -> -dot(r.vector(), query)))
      .limit(10).map(MemoryRecord::text).toList();
    assertThat(hits).extracting(h -> h.record().text()).containsExactlyElementsOf(expected);
    Filter filter = FilterParser.parse(new JsonObject().put("topic", "t"));
    assertThat(store.search(new SearchQuery(small, query, "q", filter, 20, null, SearchMode.VECTOR, false)).await())
      .hasSize(12);
  }

  @Test
  void openingWithAnotherEmbedderFailsNamingBoth() {
    open(new JsonObject());
    PgVectorMemoryStore other = new PgVectorMemoryStore(vertx, database.storeConfig());
    stores.add(other);
    assertThatThrownBy(() -> other.open(new EmbeddingSpec("other-model", 8)).await())
      .hasMessageContaining("test-model (4 dimensions)")
      .hasMessageContaining("other-model (8 dimensions)");
  }

  @Test
  void nodesStartingTogetherOnAnEmptyDatabaseMigrateItOnce() {
    List<Future<Void>> opening = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      PgVectorMemoryStore store = new PgVectorMemoryStore(vertx, database.storeConfig());
      stores.add(store);
      opening.add(store.open(SPEC));
    }
    Future.all(opening).await();
    Pool client = database.client();
    try {
      var schema = client.query("SELECT version, embedding_model, embedding_dimension FROM memgate_schema").execute()
        .await();
      assertThat(schema.size()).isEqualTo(1);
      assertThat(schema.iterator().next().toJson()).isEqualTo(new JsonObject().put("version", PgSchema.LATEST)
        .put("embedding_model", "test-model").put("embedding_dimension", 4));
      var indexes = client.query("SELECT indexname FROM pg_indexes WHERE tablename = 'memgate_memories'").execute()
        .await();
      List<String> names = new ArrayList<>();
      indexes.forEach(row -> names.add(row.getString(0)));
      assertThat(names).contains("memgate_memories_embedding", "memgate_memories_user", "memgate_memories_metadata",
        "memgate_memories_text_search");
    } finally {
      client.close().await();
    }
  }

  private static void assertNotFound(Future<?> operation) {
    assertThatThrownBy(operation::await).isInstanceOfSatisfying(BusFailureException.class,
      e -> assertThat(e.failure().error()).isEqualTo(BusError.NOT_FOUND));
  }

  private static float[] unit(float... v) {
    double norm = Math.sqrt(dot(v, v));
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / norm);
    }
    return out;
  }

  private static float[] randomUnit(Random random) {
    return unit((float) random.nextGaussian(), (float) random.nextGaussian(), (float) random.nextGaussian(),
      (float) random.nextGaussian());
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
