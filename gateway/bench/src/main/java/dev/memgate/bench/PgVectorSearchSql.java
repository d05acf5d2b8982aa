package dev.memgate.bench;

import dev.memgate.gateway.config.Settings;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * A scoped vector search on the pgvector store, as SQL of the benchmark's own: written from the store's documented
 * table ({@code memgate_memories}: the memory columns, {@code embedding vector(n)} with its HNSW cosine index,
 * {@code user_id}, {@code seq}) and its documented rule (README, "How a scoped search runs"): a scope of at most
 * {@code exact_search_below} memories is scanned exactly, a larger one goes through the HNSW index with
 * {@code ef_search} candidates and pgvector 0.8's iterative scan, and falls back to the exact scan when the index
 * finds fewer than asked. The store's classes stay closed to the benchmark: it knows the table, not the code.
 *
 * <p>The texts are what the store sends for a search without filters (the same columns, placeholders and
 * transaction-local settings), so that the server plans and caches them alike. Should the store's statements
 * change, change these: phase 4 compares every answer's first memory with the service's, which catches a ranking
 * that no longer agrees.
 *
 * @param efSearch         HNSW candidates per index search ({@code pgvector.ef_search})
 * @param exactSearchBelow the largest scope scanned exactly ({@code pgvector.exact_search_below})
 * @param maxScanTuples    index entries an iterative scan may visit ({@code pgvector.max_scan_tuples})
 * @param iterativeScan    whether the server's pgvector (0.8 or later) has iterative index scans
 */
record PgVectorSearchSql(int efSearch, int exactSearchBelow, int maxScanTuples, boolean iterativeScan) {

  /** One statement: its text and its {@code $n} parameters. */
  record Statement(String sql, Tuple params) {

    Future<RowSet<Row>> run(SqlClient client) {
      return client.preparedQuery(sql).execute(params);
    }
  }

  /** The columns the store reads for each memory it returns; the benchmark uses only {@code id} and the score. */
  private static final String MEMORY_COLUMNS = "m.id, m.text, m.hash, m.user_id, m.agent_id, m.run_id, m.actor_id, "
    + "m.role, m.metadata::text AS metadata, m.created_at, m.updated_at";
  private static final String SCOPE_SIZE = "SELECT count(*) FROM (SELECT 1 FROM memgate_memories m WHERE %s "
    + "LIMIT %s) s";
  private static final String SEARCH_SETTINGS = "SELECT set_config('hnsw.ef_search', $1, true), "
    + "set_config('plan_cache_mode', 'force_custom_plan', true)";
  private static final String ITERATIVE_SCAN = "SELECT set_config('hnsw.iterative_scan', 'strict_order', true), "
    + "set_config('hnsw.max_scan_tuples', $1, true)";
  private static final String SEARCH_INDEXED = "SELECT " + MEMORY_COLUMNS + ", 1 - (m.embedding <=> %s::vector) AS "
    + "score FROM memgate_memories m WHERE %s ORDER BY m.embedding <=> %s::vector LIMIT %s";
  /** The materialised CTE keeps the planner away from the HNSW index: every distance in the scope is computed. */
  private static final String SEARCH_EXACT = """
    WITH scoped AS MATERIALIZED (
      SELECT m.id, m.seq, m.embedding <=> %s::vector AS distance FROM memgate_memories m WHERE %s),
    best AS (SELECT id, seq, distance FROM scoped ORDER BY distance, seq LIMIT %s)
    SELECT %s, 1 - best.distance AS score
    FROM best JOIN memgate_memories m ON m.id = best.id
    ORDER BY best.distance, best.seq""".formatted("%s", "%s", "%s", MEMORY_COLUMNS);
  private static final String VECTOR_VERSION = "SELECT extversion FROM pg_extension WHERE extname = 'vector'";

  /**
   * The search as the service was configured for it, on the server {@code client} reaches (whose pgvector version
   * decides the iterative scan).
   */
  static Future<PgVectorSearchSql> configured(Settings settings, SqlClient client) {
    return client.query(VECTOR_VERSION).execute().map(rows -> new PgVectorSearchSql(
      settings.integer("pgvector.ef_search"), settings.integer("pgvector.exact_search_below"),
      settings.integer("pgvector.max_scan_tuples"), hasIterativeScan(rows.iterator().next().getString(0))));
  }

  /** pgvector 0.8 brought iterative index scans. */
  static boolean hasIterativeScan(String vectorVersion) {
    String[] parts = vectorVersion.split("\\.");
    int major = Integer.parseInt(parts[0]);
    int minor = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D.*", "")) : 0;
    return major > 0 || minor >= 8;
  }

  /** The same search with another ef_search, to see what the index would find with more candidates. */
  PgVectorSearchSql withEfSearch(int candidates) {
    return new PgVectorSearchSql(candidates, exactSearchBelow, maxScanTuples, iterativeScan);
  }

  /** Counts a user's memories (every memory when {@code userId} is null), up to one more than the exact limit. */
  Statement scopeSize(String userId) {
    Params params = new Params();
    String condition = scope(userId, params);
    return new Statement(SCOPE_SIZE.formatted(condition, params.add(exactSearchBelow + 1)), params.tuple());
  }

  /** Every distance in the scope computed, the nearest {@code limit} kept; a null user is the whole table. */
  Statement exact(String userId, float[] vector, int limit) {
    Params params = new Params();
    String vectorParam = params.add(vectorText(vector));
    String condition = scope(userId, params);
    return new Statement(SEARCH_EXACT.formatted(vectorParam, condition, params.add(limit)), params.tuple());
  }

  /** Nearest first through the HNSW index; send {@link #useIndexSettings} first in the same transaction. */
  Statement indexed(String userId, float[] vector, int limit) {
    Params params = new Params();
    String vectorParam = params.add(vectorText(vector));
    String condition = scope(userId, params);
    return new Statement(SEARCH_INDEXED.formatted(vectorParam, condition, vectorParam, params.add(limit)),
      params.tuple());
  }

  /** The index search's transaction-local settings: ef_search, and the iterative scan where the server has it. */
  Future<Void> useIndexSettings(SqlConnection conn) {
    Future<?> settings = conn.preparedQuery(SEARCH_SETTINGS).execute(Tuple.of(String.valueOf(efSearch)));
    if (iterativeScan) {
      settings = settings.compose(v -> conn.preparedQuery(ITERATIVE_SCAN)
        .execute(Tuple.of(String.valueOf(maxScanTuples))));
    }
    return settings.mapEmpty();
  }

  private static String scope(String userId, Params params) {
    return userId == null ? "TRUE" : "m.user_id = " + params.add(userId) + "::text";
  }

  /** pgvector's text form of a vector, each component as Java prints a float (which reads back exactly). */
  static String vectorText(float[] vector) {
    StringBuilder text = new StringBuilder(vector.length * 12).append('[');
    for (int i = 0; i < vector.length; i++) {
      if (i > 0) {
        text.append(',');
      }
      text.append(vector[i]);
    }
    return text.append(']').toString();
  }

  /** The parameters of one statement being built: each value gets the next {@code $n} placeholder. */
  private static final class Params {
    private final Tuple values = Tuple.tuple();

    String add(Object value) {
      values.addValue(value);
      return "$" + values.size();
    }

    Tuple tuple() {
      return values;
    }
  }
}
