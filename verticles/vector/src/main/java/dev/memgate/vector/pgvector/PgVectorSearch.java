package dev.memgate.vector.pgvector;

import dev.memgate.contract.Scope;
import dev.memgate.vector.filter.Filter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * How the store answers a vector search, and the statements it sends for it. A scope of at most
 * {@code exact_search_below} memories is searched exactly (every distance in the scope computed); a larger one goes
 * through the HNSW index with {@code ef_search} candidates and pgvector 0.8's iterative scan, and falls back to exact
 * when the index finds fewer than asked. Public so that tools (the benchmark) can send the very statements the store
 * sends, as raw SQL, and compare the index with an exact scan.
 */
public final class PgVectorSearch {

  /** Which statements answered a search. */
  public enum Path { EXACT, INDEX, INDEX_THEN_EXACT }

  /** The rows of a search ({@link PgSql#MEMORY_COLUMNS} and {@code score}), nearest first, and how they were found. */
  public record Found(Path path, RowSet<Row> rows) {
  }

  /** One statement as the store prepares it: the text, and its {@code $n} parameters. */
  public record Statement(String sql, Tuple params) {
  }

  private final int efSearch;
  private final int exactSearchBelow;
  private final int maxScanTuples;
  private final boolean iterativeScan;
  private final boolean icu;

  PgVectorSearch(PgStoreConfig config, PgSchema.ServerFacts server) {
    this(config.efSearch(), config.exactSearchBelow(), config.maxScanTuples(), server.iterativeScan(), server.icu());
  }

  private PgVectorSearch(int efSearch, int exactSearchBelow, int maxScanTuples, boolean iterativeScan, boolean icu) {
    this.efSearch = efSearch;
    this.exactSearchBelow = exactSearchBelow;
    this.maxScanTuples = maxScanTuples;
    this.iterativeScan = iterativeScan;
    this.icu = icu;
  }

  /**
   * The search a store configured with {@code config} (the vector verticle's {@code pgvector} object) makes on the
   * server {@code client} reaches, whose tables the store has already created.
   */
  public static Future<PgVectorSearch> configured(JsonObject config, SqlClient client) {
    PgStoreConfig parsed = PgStoreConfig.from(config);
    return PgSchema.facts(client).map(server -> new PgVectorSearch(parsed, server));
  }

  /** How the store connects with {@code config}: the same server, and the same prepared-statement cache. */
  public static PgConnectOptions connectOptions(JsonObject config) {
    return PgStoreConfig.from(config).connect();
  }

  /** The same search with another ef_search, to see what the index would find with more candidates. */
  public PgVectorSearch withEfSearch(int candidates) {
    return new PgVectorSearch(candidates, exactSearchBelow, maxScanTuples, iterativeScan, icu);
  }

  public int efSearch() {
    return efSearch;
  }

  public int exactSearchBelow() {
    return exactSearchBelow;
  }

  public int maxScanTuples() {
    return maxScanTuples;
  }

  /** Whether the server's pgvector (0.8 or later) lets the index keep scanning until the scope has enough rows. */
  public boolean iterativeScan() {
    return iterativeScan;
  }

  /** A vector search, exactly as the store makes it; {@code conn} must be in a transaction (settings are local). */
  public Future<Found> nearest(SqlConnection conn, Scope scope, Filter filter, float[] vector, int limit) {
    String text = PgRows.vectorText(vector);
    return scopeIsSmall(conn, scope).compose(small -> {
      if (small) {
        return run(conn, exact(scope, filter, text, limit)).map(rows -> new Found(Path.EXACT, rows));
      }
      return useIndexSettings(conn)
        .compose(v -> run(conn, indexed(scope, filter, text, limit)))
        .compose(rows -> rows.size() < limit
          ? run(conn, exact(scope, filter, text, limit)).map(exact -> new Found(Path.INDEX_THEN_EXACT, exact))
          : Future.succeededFuture(new Found(Path.INDEX, rows)));
    });
  }

  /** Whether the scope holds at most {@code exact_search_below} memories; reads at most that many index entries. */
  private Future<Boolean> scopeIsSmall(SqlConnection conn, Scope scope) {
    return run(conn, scopeSize(scope)).map(rows -> rows.iterator().next().getLong(0) <= exactSearchBelow);
  }

  /** Counts the scope's memories, up to one more than {@code exact_search_below}. */
  public Statement scopeSize(Scope scope) {
    SqlParams params = new SqlParams();
    String condition = PgConditions.scope(scope, params);
    return new Statement(PgSql.SCOPE_SIZE.formatted(condition, params.add(exactSearchBelow + 1)), params.tuple());
  }

  /** Every distance in the scope computed, the nearest {@code limit} kept. */
  public Statement exact(Scope scope, Filter filter, float[] vector, int limit) {
    return exact(scope, filter, PgRows.vectorText(vector), limit);
  }

  /** Nearest first through the HNSW index; send {@link #useIndexSettings} first in the same transaction. */
  public Statement indexed(Scope scope, Filter filter, float[] vector, int limit) {
    return indexed(scope, filter, PgRows.vectorText(vector), limit);
  }

  /** The index search's transaction-local settings: ef_search, and the iterative scan where the server has it. */
  public Future<Void> useIndexSettings(SqlConnection conn) {
    Future<?> settings = conn.preparedQuery(PgSql.SEARCH_SETTINGS).execute(Tuple.of(String.valueOf(efSearch)));
    if (iterativeScan) {
      settings = settings.compose(v -> conn.preparedQuery(PgSql.ITERATIVE_SCAN)
        .execute(Tuple.of(String.valueOf(maxScanTuples))));
    }
    return settings.mapEmpty();
  }

  private Statement exact(Scope scope, Filter filter, String vector, int limit) {
    SqlParams params = new SqlParams();
    String vectorParam = params.add(vector);
    String condition = PgConditions.condition(scope, filter, icu, params);
    return new Statement(PgSql.SEARCH_EXACT.formatted(vectorParam, condition, params.add(limit)), params.tuple());
  }

  private Statement indexed(Scope scope, Filter filter, String vector, int limit) {
    SqlParams params = new SqlParams();
    String vectorParam = params.add(vector);
    String condition = PgConditions.condition(scope, filter, icu, params);
    return new Statement(PgSql.SEARCH_INDEXED.formatted(vectorParam, condition, vectorParam, params.add(limit)),
      params.tuple());
  }

  private static Future<RowSet<Row>> run(SqlConnection conn, Statement statement) {
    return conn.preparedQuery(statement.sql()).execute(statement.params());
  }
}
