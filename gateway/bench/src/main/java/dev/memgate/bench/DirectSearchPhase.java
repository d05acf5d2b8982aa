package dev.memgate.bench;

import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Phase 4: the sequential searches again, without the service (no HTTP, no bus, no JSON), with the query vectors
 * the service used. What the service costs on top is the difference from phase 2.
 */
final class DirectSearchPhase {
  private static final Logger LOG = LoggerFactory.getLogger(DirectSearchPhase.class);

  /**
   * @param paths how many searches took each path, where the store tells (empty otherwise)
   */
  record Result(String label, LatencySummary latency, String[] topIds, Map<String, Integer> paths) {

    /** One caller waiting for each answer. */
    double queriesPerSecond() {
      return 1000.0 / latency.meanMs();
    }

    JsonObject toJson() {
      JsonObject taken = new JsonObject();
      paths.forEach(taken::put);
      return new JsonObject()
        .put("what", label)
        .put("searches", latency.count())
        .put("queries_per_s", LatencySummary.round(queriesPerSecond()))
        .put("latency_ms", latency.toJson())
        .put("paths", taken);
    }
  }

  private final DirectSearcher searcher;

  DirectSearchPhase(DirectSearcher searcher) {
    this.searcher = searcher;
  }

  void warmUp(List<Question> questions, List<float[]> vectors) {
    for (int i = 0; i < questions.size(); i++) {
      searcher.search(questions.get(i), vectors.get(i));
    }
  }

  Result run(List<Question> questions, List<float[]> vectors) {
    long[] latencies = new long[questions.size()];
    String[] topIds = new String[questions.size()];
    Map<String, Integer> paths = new TreeMap<>();
    for (int i = 0; i < questions.size(); i++) {
      long begin = System.nanoTime();
      DirectSearcher.Hit hit = searcher.search(questions.get(i), vectors.get(i));
      latencies[i] = System.nanoTime() - begin;
      topIds[i] = hit.ids().isEmpty() ? null : hit.ids().get(0);
      if (hit.path() != null) {
        paths.merge(hit.path(), 1, Integer::sum);
      }
    }
    LatencySummary latency = LatencySummary.of(latencies);
    LOG.info("direct search: {} queries, p50 {} ms, paths {}", questions.size(), latency.p50Ms(), paths);
    return new Result(searcher.label(), latency, topIds, paths);
  }
}
