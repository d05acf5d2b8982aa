package dev.memgate.bench;

import dev.memgate.gateway.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Phase 4 for pgvector: each search as the raw SQL the store sends for it (in one transaction: the scope count,
 * then the exact scan or the HNSW search with its settings, and the exact fallback; see {@link PgVectorSearchSql}),
 * through vertx-pg-client, with the query vector the service computed. No store object, no bus, no JSON.
 */
final class PgSqlSearcher implements DirectSearcher {

  /** Which statements answered a search. */
  enum Path {
    EXACT("exact scan"), INDEX("HNSW index"), INDEX_THEN_EXACT("HNSW index, then exact scan");

    private final String label;

    Path(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  /** A search's rows ({@code id} and {@code score} among them), nearest first, and how they were found. */
  record Found(Path path, RowSet<Row> rows) {
  }

  private final Pool pool;
  private final PgVectorSearchSql search;

  private PgSqlSearcher(Pool pool, PgVectorSearchSql search) {
    this.pool = pool;
    this.search = search;
  }

  /**
   * @param databaseUrl the database the service kept its memories in
   * @param settings    the service's settings, for the search settings it used
   */
  static PgSqlSearcher open(Vertx vertx, String databaseUrl, Settings settings) {
    // As the store's connections do, each one prepares a statement once and then reuses it; one search at a time,
    // so a second connection only spares waiting for the first to be handed back.
    PgConnectOptions connect = PgConnectOptions.fromUri(databaseUrl).setCachePreparedStatements(true);
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(connect).using(vertx).build();
    try {
      return new PgSqlSearcher(pool, PgVectorSearchSql.configured(settings, pool).await());
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
    Found found = pool.withTransaction(conn -> nearest(conn, question.userId(), vector, HttpSearchPhase.LIMIT))
      .await();
    return new Hit(ids(found.rows()), found.path().label());
  }

  /** The store's rule: a small scope scanned exactly; a larger one through the index, exactly when it finds too few. */
  private Future<Found> nearest(SqlConnection conn, String userId, float[] vector, int limit) {
    return search.scopeSize(userId).run(conn).map(rows -> rows.iterator().next().getLong(0)).compose(size -> {
      if (size <= search.exactSearchBelow()) {
        return search.exact(userId, vector, limit).run(conn).map(rows -> new Found(Path.EXACT, rows));
      }
      return search.useIndexSettings(conn)
        .compose(v -> search.indexed(userId, vector, limit).run(conn))
        .compose(rows -> rows.size() < limit
          ? search.exact(userId, vector, limit).run(conn).map(exact -> new Found(Path.INDEX_THEN_EXACT, exact))
          : Future.succeededFuture(new Found(Path.INDEX, rows)));
    });
  }

  static List<String> ids(Iterable<Row> rows) {
    List<String> ids = new ArrayList<>();
    rows.forEach(row -> ids.add(row.getString("id")));
    return ids;
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
