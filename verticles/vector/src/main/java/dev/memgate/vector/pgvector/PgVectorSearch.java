package dev.memgate.vector.pgvector;

import dev.memgate.contract.Scope;
import dev.memgate.vector.filter.Filter;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * How the store answers a vector search, and the statements it sends for it. A scope of at most
 * {@code exact_search_below} memories is searched exactly (every distance in the scope computed); a larger one goes
 * through the HNSW index with {@code ef_search} candidates and pgvector 0.8's iterative scan, and falls back to exact
 * when the index finds fewer than asked.
 */
final class PgVectorSearch {
  private final int efSearch;
  private final int exactSearchBelow;
  private final int maxScanTuples;
  private final boolean iterativeScan;
  private final boolean icu;

  PgVectorSearch(PgStoreConfig config, PgSchema.ServerFacts server) {
    this.efSearch = config.efSearch();
    this.exactSearchBelow = config.exactSearchBelow();
    this.maxScanTuples = config.maxScanTuples();
    this.iterativeScan = server.iterativeScan();
    this.icu = server.icu();
  }

  /**
   * The rows of a vector search ({@link PgSql#MEMORY_COLUMNS} and {@code score}), nearest first; {@code conn} must be
   * in a transaction (the index settings are local to it).
   */
  Future<RowSet<Row>> nearest(SqlConnection conn, Scope scope, Filter filter, float[] vector, int limit) {
    String text = PgRows.vectorText(vector);
    return scopeIsSmall(conn, scope).compose(small -> {
      if (small) {
        return exact(conn, scope, filter, text, limit);
      }
      return useIndexSettings(conn)
        .compose(v -> indexed(conn, scope, filter, text, limit))
        .compose(rows -> rows.size() < limit ? exact(conn, scope, filter, text, limit) : Future.succeededFuture(rows));
    });
  }

  /** Whether the scope holds at most {@code exact_search_below} memories; reads at most that many index entries. */
  private Future<Boolean> scopeIsSmall(SqlConnection conn, Scope scope) {
    SqlParams params = new SqlParams();
    String condition = PgConditions.scope(scope, params);
    String sql = PgSql.SCOPE_SIZE.formatted(condition, params.add(exactSearchBelow + 1));
    return conn.preparedQuery(sql).execute(params.tuple())
      .map(rows -> rows.iterator().next().getLong(0) <= exactSearchBelow);
  }

  /** The index search's transaction-local settings: ef_search, and the iterative scan where the server has it. */
  private Future<Void> useIndexSettings(SqlConnection conn) {
    Future<?> settings = conn.preparedQuery(PgSql.SEARCH_SETTINGS).execute(Tuple.of(String.valueOf(efSearch)));
    if (iterativeScan) {
      settings = settings.compose(v -> conn.preparedQuery(PgSql.ITERATIVE_SCAN)
        .execute(Tuple.of(String.valueOf(maxScanTuples))));
    }
    return settings.mapEmpty();
  }

  /** Every distance in the scope computed, the nearest {@code limit} kept. */
  private Future<RowSet<Row>> exact(SqlConnection conn, Scope scope, Filter filter, String vector, int limit) {
    SqlParams params = new SqlParams();
    String vectorParam = params.add(vector);
    String condition = PgConditions.condition(scope, filter, icu, params);
    String sql = PgSql.SEARCH_EXACT.formatted(vectorParam, condition, params.add(limit));
    return conn.preparedQuery(sql).execute(params.tuple());
  }

  /** Nearest first through the HNSW index; {@link #useIndexSettings} first, in the same transaction. */
  private Future<RowSet<Row>> indexed(SqlConnection conn, Scope scope, Filter filter, String vector, int limit) {
    SqlParams params = new SqlParams();
    String vectorParam = params.add(vector);
    String condition = PgConditions.condition(scope, filter, icu, params);
    String sql = PgSql.SEARCH_INDEXED.formatted(vectorParam, condition, vectorParam, params.add(limit));
    return conn.preparedQuery(sql).execute(params.tuple());
  }
}
