package dev.memgate.bench;

import dev.memgate.contract.Scope;
import dev.memgate.vector.filter.Filter;
import dev.memgate.vector.pgvector.PgVectorSearch;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Phase 4 for pgvector: each search as the raw SQL the store sends for it (in one transaction: the scope count,
 * then the exact scan or the HNSW search with its settings, and the exact fallback), through vertx-pg-client with
 * the store's connection options, with the query vector the service computed. No store object, no bus, no JSON.
 */
final class PgSqlSearcher implements DirectSearcher {
  private final Pool pool;
  private final PgVectorSearch search;

  private PgSqlSearcher(Pool pool, PgVectorSearch search) {
    this.pool = pool;
    this.search = search;
  }

  /** @param config the vector verticle's {@code pgvector} configuration, as the service had it */
  static PgSqlSearcher open(Vertx vertx, JsonObject config) {
    // One search at a time: a second connection only spares waiting for the first to be handed back.
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
      .connectingTo(PgVectorSearch.connectOptions(config)).using(vertx).build();
    try {
      return new PgSqlSearcher(pool, PgVectorSearch.configured(config, pool).await());
    } catch (RuntimeException e) {
      pool.close().await();
      throw new BenchFailure("cannot reach the benchmark's database again after the service stopped: "
        + e.getMessage(), e);
    }
  }

  @Override
  public String label() {
    return "raw SQL, the store's statements";
  }

  @Override
  public String settings() {
    return "scopes of up to " + search.exactSearchBelow() + " memories scanned exactly; larger ones through HNSW "
      + "with ef_search " + search.efSearch() + (search.iterativeScan()
      ? ", iterative scan (strict_order, max_scan_tuples " + search.maxScanTuples() + ")" : ", no iterative scan");
  }

  @Override
  public Hit search(Question question, float[] vector) {
    PgVectorSearch.Found found = pool.withTransaction(conn -> search.nearest(conn,
      new Scope(question.userId(), null, null), Filter.MATCH_ALL, vector, HttpSearchPhase.LIMIT)).await();
    return new Hit(ids(found.rows()), pathName(found.path()));
  }

  static List<String> ids(Iterable<Row> rows) {
    List<String> ids = new ArrayList<>();
    rows.forEach(row -> ids.add(row.getString("id")));
    return ids;
  }

  static String pathName(PgVectorSearch.Path path) {
    return switch (path) {
      case EXACT -> "exact scan";
      case INDEX -> "HNSW index";
      case INDEX_THEN_EXACT -> "HNSW index, then exact scan";
    };
  }

  @Override
  public Optional<HnswRecallPhase.Result> recall(List<Question> questions, List<float[]> vectors) {
    return Optional.of(new HnswRecallPhase(pool, search).run(questions, vectors));
  }

  @Override
  public void close() {
    pool.close().await();
  }
}
