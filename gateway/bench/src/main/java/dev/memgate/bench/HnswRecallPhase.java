package dev.memgate.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Phase 5 (pgvector): how many of the true 10 nearest memories the HNSW index finds. For each query, the store's
 * index statement (with its iterative-scan settings) against its exact statement (both as {@link PgVectorSearchSql}
 * writes them), within the query's user scope and over the whole table without a scope; at the configured
 * ef_search (what the store does), then at twice and four times as many candidates (what tuning it would buy).
 *
 * <p>The planner may prefer a scan and a sort (itself exact) to the HNSW index: for a scope its B-tree index when the
 * scope is a small share of the table, for a small table a sequential scan. So the index search here also turns
 * sorting off, which leaves the HNSW index as the only way to return rows nearest first; the plan the store's own
 * statement gets is reported beside it when it differs.
 */
final class HnswRecallPhase {
  private static final Logger LOG = LoggerFactory.getLogger(HnswRecallPhase.class);
  private static final int K = HttpSearchPhase.LIMIT;
  /** pgvector's largest hnsw.ef_search. */
  private static final int MAX_EF_SEARCH = 1_000;
  /** Both statements compute a row's score with the same expression; the margin only guards against rounding. */
  private static final double SAME_SCORE = 1e-9;
  private static final String NO_SORT = "SELECT set_config('enable_sort', 'off', true)";
  private static final String SCOPE_COUNT = "SELECT count(*) FROM memgate_memories WHERE user_id = ANY($1::text[])";
  private static final String TABLE_COUNT = "SELECT count(*) FROM memgate_memories";

  /**
   * The index at one ef_search, over all queries.
   *
   * @param recall         mean over queries of (exact top 10 returned by the index) / (exact top 10)
   * @param distanceRecall the same, counting as found any result no farther than the exact 10th: misses that are
   *                       only a different choice among equally near memories do not count against it
   * @param allFound       queries whose index search returned the whole exact top 10
   * @param fewerThanK     index searches that returned fewer than 10 (where the store falls back to an exact scan)
   */
  record AtEfSearch(int efSearch, double recall, double distanceRecall, int allFound, int fewerThanK,
                    LatencySummary latency) {

    JsonObject toJson() {
      return new JsonObject()
        .put("ef_search", efSearch)
        .put("recall_at_10", LatencySummary.round(recall))
        .put("distance_recall_at_10", LatencySummary.round(distanceRecall))
        .put("queries_with_all_10", allFound)
        .put("index_found_fewer_than_10", fewerThanK)
        .put("index_latency_ms", latency.toJson());
    }
  }

  /**
   * One scope over all queries.
   *
   * @param memories  memories searched per query (the mean scope size, or the whole table)
   * @param sweep     the configured ef_search first, then the larger ones
   * @param plan      the plan of the index search measured here (sorting off)
   * @param storePlan the plan the store's own index statement gets (null when the same)
   */
  record Measure(String scope, long memories, LatencySummary exact, List<AtEfSearch> sweep, String plan,
                 String storePlan) {

    /** What the store's configuration gives. */
    AtEfSearch configured() {
      return sweep.get(0);
    }

    JsonObject toJson() {
      JsonArray bySetting = new JsonArray();
      sweep.forEach(at -> bySetting.add(at.toJson()));
      AtEfSearch configured = configured();
      return new JsonObject()
        .put("scope", scope)
        .put("memories_searched", memories)
        .put("recall_at_10", LatencySummary.round(configured.recall()))
        .put("distance_recall_at_10", LatencySummary.round(configured.distanceRecall()))
        .put("queries_with_all_10", configured.allFound())
        .put("index_found_fewer_than_10", configured.fewerThanK())
        .put("index_latency_ms", configured.latency().toJson())
        .put("exact_latency_ms", exact.toJson())
        .put("by_ef_search", bySetting)
        .put("index_plan", plan)
        .put("store_index_plan", storePlan);
    }
  }

  record Result(int queries, String settings, Measure scoped, Measure whole) {

    JsonObject toJson() {
      return new JsonObject()
        .put("queries", queries)
        .put("k", K)
        .put("settings", settings)
        .put("within_user_scope", scoped.toJson())
        .put("whole_table", whole.toJson());
    }
  }

  /** One search's results, nearest first. */
  private record Ranked(List<String> ids, List<Double> scores) {

    static Ranked of(RowSet<Row> rows) {
      List<String> ids = new ArrayList<>();
      List<Double> scores = new ArrayList<>();
      rows.forEach(row -> {
        ids.add(row.getString("id"));
        scores.add(row.getDouble("score"));
      });
      return new Ranked(ids, scores);
    }
  }

  private final Pool pool;
  private final PgVectorSearchSql search;

  HnswRecallPhase(Pool pool, PgVectorSearchSql search) {
    this.pool = pool;
    this.search = search;
  }

  Result run(List<Question> questions, List<float[]> vectors) {
    LOG.info("phase 5: HNSW recall@{} against an exact scan, {} queries, within their user and over the table", K,
      questions.size());
    List<String> users = questions.stream().map(Question::userId).distinct().toList();
    long scopeRows = pool.preparedQuery(SCOPE_COUNT).execute(Tuple.of(users.toArray(new String[0])))
      .map(rows -> rows.iterator().next().getLong(0)).await();
    long tableRows = pool.query(TABLE_COUNT).execute().map(rows -> rows.iterator().next().getLong(0)).await();
    Measure scoped = measure("one user", Math.round((double) scopeRows / users.size()), questions, vectors,
      Question::userId);
    Measure whole = measure("whole table", tableRows, questions, vectors, question -> null);
    LOG.info("recall@{} at ef_search {}: {} within a user, {} over the table", K, search.efSearch(),
      scoped.configured().recall(), whole.configured().recall());
    return new Result(questions.size(), settings(), scoped, whole);
  }

  private String settings() {
    return search.iterativeScan() ? "iterative scan strict_order, max_scan_tuples " + search.maxScanTuples()
      : "no iterative scan";
  }

  /** The configured ef_search, then twice and four times as many candidates, within pgvector's limit. */
  private List<Integer> efSearches() {
    Set<Integer> larger = new TreeSet<>();
    for (int factor : new int[] {2, 4}) {
      larger.add(Math.min(MAX_EF_SEARCH, factor * search.efSearch()));
    }
    larger.remove(search.efSearch());
    List<Integer> all = new ArrayList<>();
    all.add(search.efSearch());
    all.addAll(larger);
    return all;
  }

  /** @param scopeOf the user a question's search is scoped to, or null for the whole table */
  private Measure measure(String name, long memories, List<Question> questions, List<float[]> vectors,
                          Function<Question, String> scopeOf) {
    List<Ranked> exact = new ArrayList<>(questions.size());
    long[] exactNanos = new long[questions.size()];
    for (int i = 0; i < questions.size(); i++) {
      String scope = scopeOf.apply(questions.get(i));
      float[] vector = vectors.get(i);
      long begin = System.nanoTime();
      RowSet<Row> rows = pool.withTransaction(conn -> search.exact(scope, vector, K).run(conn)).await();
      exactNanos[i] = System.nanoTime() - begin;
      exact.add(Ranked.of(rows));
    }
    List<AtEfSearch> sweep = new ArrayList<>();
    for (int efSearch : efSearches()) {
      sweep.add(indexAt(search.withEfSearch(efSearch), questions, vectors, scopeOf, exact));
    }
    String sample = scopeOf.apply(questions.get(0));
    String plan = plan(sample, vectors.get(0), true);
    String storePlan = plan(sample, vectors.get(0), false);
    return new Measure(name, memories, LatencySummary.of(exactNanos), sweep, plan,
      plan.equals(storePlan) ? null : storePlan);
  }

  private AtEfSearch indexAt(PgVectorSearchSql index, List<Question> questions, List<float[]> vectors,
                             Function<Question, String> scopeOf, List<Ranked> exact) {
    long[] nanos = new long[questions.size()];
    double recallSum = 0;
    double distanceRecallSum = 0;
    int allFound = 0;
    int fewer = 0;
    for (int i = 0; i < questions.size(); i++) {
      String scope = scopeOf.apply(questions.get(i));
      float[] vector = vectors.get(i);
      long begin = System.nanoTime();
      Ranked approximate = Ranked.of(pool.withTransaction(conn -> forcedIndexSettings(conn, index)
        .compose(v -> index.indexed(scope, vector, K).run(conn))).await());
      nanos[i] = System.nanoTime() - begin;
      Ranked truth = exact.get(i);
      if (truth.ids().isEmpty()) {
        recallSum += 1;
        distanceRecallSum += 1;
        allFound++;
        continue;
      }
      Set<String> returned = new HashSet<>(approximate.ids());
      long hits = truth.ids().stream().filter(returned::contains).count();
      double farthest = truth.scores().get(truth.scores().size() - 1);
      long nearEnough = approximate.scores().stream().filter(score -> score >= farthest - SAME_SCORE).count();
      recallSum += (double) hits / truth.ids().size();
      distanceRecallSum += Math.min(1.0, (double) nearEnough / truth.ids().size());
      allFound += hits == truth.ids().size() ? 1 : 0;
      fewer += approximate.ids().size() < K ? 1 : 0;
    }
    int count = questions.size();
    return new AtEfSearch(index.efSearch(), recallSum / count, distanceRecallSum / count, allFound, fewer,
      LatencySummary.of(nanos));
  }

  /** The store's index settings, with sorting off so that the HNSW index is the plan. */
  private static Future<Void> forcedIndexSettings(SqlConnection conn, PgVectorSearchSql index) {
    return index.useIndexSettings(conn).compose(v -> conn.query(NO_SORT).execute().mapEmpty());
  }

  /** The index statement's plan for one query, condensed to its nodes: "Limit / Index Scan using ...". */
  private String plan(String scope, float[] vector, boolean forced) {
    PgVectorSearchSql.Statement statement = search.indexed(scope, vector, K);
    RowSet<Row> lines = pool.withTransaction(conn -> (forced ? forcedIndexSettings(conn, search)
      : search.useIndexSettings(conn))
      .compose(v -> conn.preparedQuery("EXPLAIN (COSTS OFF) " + statement.sql()).execute(statement.params())))
      .await();
    List<String> nodes = new ArrayList<>();
    for (Row line : lines) {
      String text = line.getString(0).strip();
      if (nodes.isEmpty() || text.startsWith("->")) {
        nodes.add(text.replaceFirst("^->\\s*", ""));
      }
    }
    return String.join(" / ", nodes);
  }
}
