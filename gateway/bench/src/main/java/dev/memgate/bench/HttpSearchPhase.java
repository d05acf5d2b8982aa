package dev.memgate.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Phases 2 and 3: {@code POST /search} through HTTP, one query at a time (latency as one caller sees it), then with
 * {@code concurrency} queries in flight (throughput). Every search is scoped to the user owning the fact it asks
 * about and asks for mem0's default of {@value #LIMIT} results.
 */
final class HttpSearchPhase {
  static final int LIMIT = 10;
  /**
   * Searches rank by meaning alone: the mode whose work the direct phase (the store in process, or the store's raw
   * SQL) can repeat exactly. Hybrid ranking's latency is what the LoCoMo command reports.
   */
  static final String MODE = "vector";
  private static final Logger LOG = LoggerFactory.getLogger(HttpSearchPhase.class);

  /**
   * The one-at-a-time searches: latencies, the query embedding alone timed right after each search, the top result
   * of each (to compare with the direct phase), and how often the fact a question was made from came first, or
   * within the results.
   */
  record Sequential(LatencySummary latency, LatencySummary embedding, double httpMinusEmbeddingP50Ms,
                    String[] topIds, int sourceFirst, int sourceInResults) {

    /** One caller waiting for each answer: the embedding timings in between do not count. */
    double queriesPerSecond() {
      return 1000.0 / latency.meanMs();
    }

    JsonObject toJson() {
      int count = latency.count();
      return new JsonObject()
        .put("searches", count)
        .put("limit", LIMIT)
        .put("mode", MODE)
        .put("queries_per_s", LatencySummary.round(queriesPerSecond()))
        .put("latency_ms", latency.toJson())
        .put("source_fact_first", LatencySummary.round((double) sourceFirst / count))
        .put("source_fact_in_results", LatencySummary.round((double) sourceInResults / count));
    }
  }

  record Concurrent(int concurrency, long wallNanos, LatencySummary latency) {

    double queriesPerSecond() {
      return latency.count() / (wallNanos / 1e9);
    }

    JsonObject toJson() {
      return new JsonObject()
        .put("searches", latency.count())
        .put("concurrency", concurrency)
        .put("limit", LIMIT)
        .put("wall_s", LatencySummary.round(wallNanos / 1e9))
        .put("queries_per_s", LatencySummary.round(queriesPerSecond()))
        .put("latency_ms", latency.toJson());
    }
  }

  private final ApiClient api;
  private final int concurrency;

  HttpSearchPhase(ApiClient api, int concurrency) {
    this.api = api;
    this.concurrency = concurrency;
  }

  /** Untimed searches with their own queries (never repeated later: a repeat would hit the embedding cache). */
  void warmUp(List<Question> questions) {
    if (!questions.isEmpty()) {
      ConcurrentRunner.run("warmup-search", questions.size(), concurrency, i -> search(questions.get(i)));
    }
  }

  /** Each search, then the same query embedded alone by {@code embedder}, so both meet the same machine. */
  Sequential sequential(List<Question> questions, Map<String, String> idsByFact, QueryEmbeddingTimer embedder) {
    long[] latencies = new long[questions.size()];
    long[] embeddings = new long[questions.size()];
    long[] differences = new long[questions.size()];
    String[] topIds = new String[questions.size()];
    int first = 0;
    int found = 0;
    long begin = System.nanoTime();
    for (int i = 0; i < questions.size(); i++) {
      Question question = questions.get(i);
      long sent = System.nanoTime();
      JsonArray results = search(question);
      latencies[i] = System.nanoTime() - sent;
      embeddings[i] = embedder.time(question);
      differences[i] = latencies[i] - embeddings[i];
      topIds[i] = results.isEmpty() ? null : results.getJsonObject(0).getString("id");
      int rank = rankOf(results, idsByFact.get(question.sourceKey()));
      first += rank == 0 ? 1 : 0;
      found += rank >= 0 ? 1 : 0;
    }
    LOG.info("sequential search: {} queries (and as many embeddings alone) in {} ms", questions.size(),
      (System.nanoTime() - begin) / 1_000_000);
    long[] sortedDifferences = differences.clone();
    Arrays.sort(sortedDifferences);
    return new Sequential(LatencySummary.of(latencies), LatencySummary.of(embeddings),
      LatencySummary.rank(sortedDifferences, 0.50) / 1e6, topIds, first, found);
  }

  Concurrent concurrent(List<Question> questions) {
    long[] latencies = new long[questions.size()];
    long wall = ConcurrentRunner.run("concurrent-search", questions.size(), concurrency, index -> {
      long begin = System.nanoTime();
      search(questions.get(index));
      latencies[index] = System.nanoTime() - begin;
    });
    LOG.info("concurrent search: {} queries at {} in flight in {} ms", questions.size(), concurrency,
      wall / 1_000_000);
    return new Concurrent(concurrency, wall, LatencySummary.of(latencies));
  }

  private JsonArray search(Question question) {
    JsonObject reply = api.post("/search", new JsonObject()
      .put("query", question.text())
      .put("user_id", question.userId())
      .put("limit", LIMIT)
      .put("mode", MODE));
    JsonArray results = reply.getJsonArray("results");
    if (results == null) {
      throw new BenchFailure("POST /search answered without results: " + reply.encode());
    }
    for (int i = 0; i < results.size(); i++) {
      if (!question.userId().equals(results.getJsonObject(i).getString("user_id"))) {
        throw new BenchFailure("POST /search for " + question.userId() + " returned another scope's memory: "
          + results.getJsonObject(i).encode());
      }
    }
    return results;
  }

  private static int rankOf(JsonArray results, String id) {
    for (int i = 0; i < results.size(); i++) {
      if (results.getJsonObject(i).getString("id").equals(id)) {
        return i;
      }
    }
    return -1;
  }
}
