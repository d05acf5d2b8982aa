package dev.memgate.bench;

import dev.memgate.contract.Scope;
import dev.memgate.contract.Timestamps;
import dev.memgate.gateway.config.Settings;
import dev.memgate.gateway.config.VerticleConfigs;
import dev.memgate.gateway.testing.PgvectorStore;
import dev.memgate.vector.MemoryRecord;
import dev.memgate.vector.MemoryStore;
import dev.memgate.vector.filter.Filter;
import dev.memgate.vector.pgvector.PgVectorMemoryStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Phase 4's SQL is the benchmark's own, written from the store's documented table and search rule: on the real
 * PostgreSQL, it must find what the pgvector store finds, in the same order, on both of the store's paths.
 */
class PgSqlSearcherTest {
  private static final int DIMENSION = 8;
  private static final List<String> USERS = List.of("ada", "grace");
  private static final int PER_USER = 60;

  private final Random random = new Random(7);
  private PgvectorStore database;
  private Vertx vertx;

  @BeforeEach
  void createDatabase() {
    database = new PgvectorStore();
    vertx = Vertx.vertx();
  }

  @AfterEach
  void dropDatabase() {
    vertx.close().await();
    database.close();
  }

  @Test
  void aSmallScopeIsScannedExactlyAndAnsweredAsTheStoreAnswersIt() {
    assertSameAnswersAsTheStore(10_000, "exact scan");
  }

  @Test
  void aScopeAboveTheExactLimitGoesThroughTheIndexAndIsAnsweredAsTheStoreAnswersIt() {
    assertSameAnswersAsTheStore(20, "HNSW index");
  }

  @Test
  void iterativeScansAreThoseOfPgvector08AndLater() {
    assertThat(PgVectorSearchSql.hasIterativeScan("0.7.4")).isFalse();
    assertThat(PgVectorSearchSql.hasIterativeScan("0.8.0")).isTrue();
    assertThat(PgVectorSearchSql.hasIterativeScan("0.10.1")).isTrue();
    assertThat(PgVectorSearchSql.hasIterativeScan("1.0")).isTrue();
  }

  private void assertSameAnswersAsTheStore(int exactSearchBelow, String expectedPath) {
    Settings settings = Settings.load(Map.of("VECTOR_STORE", "pgvector", "DATABASE_URL", database.url(),
      "MEMGATE_PG_EXACT_SEARCH_BELOW", String.valueOf(exactSearchBelow)), null);
    // The store as the service configures it from these settings.
    PgVectorMemoryStore store = new PgVectorMemoryStore(vertx, new VerticleConfigs(settings)
      .vector("test-model", DIMENSION).getJsonObject("pgvector"));
    store.open(new MemoryStore.EmbeddingSpec("test-model", DIMENSION)).await();
    try {
      store.insert(memories()).await();
      try (PgSqlSearcher searcher = PgSqlSearcher.open(vertx, database.url(), settings)) {
        for (int i = 0; i < 20; i++) {
          String user = USERS.get(i % USERS.size());
          float[] vector = unitVector();
          List<String> byStore = store.search(new MemoryStore.SearchQuery(new Scope(user, null, null), vector, null,
            Filter.MATCH_ALL, HttpSearchPhase.LIMIT, null, MemoryStore.SearchMode.VECTOR, false)).await()
            .stream().map(hit -> hit.record().id()).toList();

          DirectSearcher.Hit hit = searcher.search(new Question(user, "query " + i, null), vector);

          assertThat(hit.ids()).as("query %d of %s", i, user).hasSize(HttpSearchPhase.LIMIT)
            .containsExactlyElementsOf(byStore);
          assertThat(hit.path()).isEqualTo(expectedPath);
        }
      }
    } finally {
      store.close().await();
    }
  }

  private List<MemoryRecord> memories() {
    List<MemoryRecord> records = new ArrayList<>();
    String at = Timestamps.format(Instant.parse("2026-01-05T10:00:00Z"));
    for (String user : USERS) {
      for (int i = 0; i < PER_USER; i++) {
        String text = user + " memory " + i;
        records.add(new MemoryRecord(user + "-" + i, text, "hash-" + user + "-" + i, new Scope(user, null, null),
          null, "user", new JsonObject(), at, at, unitVector()));
      }
    }
    return records;
  }

  private float[] unitVector() {
    float[] vector = new float[DIMENSION];
    double norm = 0;
    for (int i = 0; i < DIMENSION; i++) {
      vector[i] = (float) random.nextGaussian();
      norm += vector[i] * vector[i];
    }
    for (int i = 0; i < DIMENSION; i++) {
      vector[i] /= (float) Math.sqrt(norm);
    }
    return vector;
  }
}
