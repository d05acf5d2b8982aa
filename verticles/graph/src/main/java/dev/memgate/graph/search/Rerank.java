package dev.memgate.graph.search;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders candidate relations for a query by meaning and by words together: {@code score = 0.7 · semantic + 0.3 ·
 * keyword}, where semantic is the cosine between the query and the relation's text ("alice lives in lisbon"), clipped
 * to [0, 1], and keyword is BM25 (k1 1.2, b 0.75) over the candidates' triples, divided by the best BM25 of the set.
 * BM25 alone (mem0) misses "Where is home?" against "lives_in"; meaning alone ranks any relation of the user high
 * for any question about the user, and the words pull the one the question names to the top.
 */
public final class Rerank {
  static final double SEMANTIC_WEIGHT = 0.7;
  private static final double K1 = 1.2;
  private static final double B = 0.75;

  private Rerank() {
  }

  /** The candidates (each with "semantic"), best first, at most {@code limit}, each with its "score". */
  public static List<JsonObject> rank(String query, List<JsonObject> candidates, int limit) {
    if (candidates.isEmpty()) {
      return List.of();
    }
    Set<String> queryTerms = new HashSet<>(Terms.of(query));
    List<List<String>> documents = new ArrayList<>();
    Map<String, Integer> documentFrequency = new HashMap<>();
    double totalLength = 0;
    for (JsonObject candidate : candidates) {
      List<String> terms = Terms.of(candidate.getString("source") + " " + candidate.getString("relationship") + " "
        + candidate.getString("destination"));
      documents.add(terms);
      totalLength += terms.size();
      new HashSet<>(terms).forEach(t -> documentFrequency.merge(t, 1, Integer::sum));
    }
    double averageLength = Math.max(1, totalLength / candidates.size());
    double[] bm25 = new double[candidates.size()];
    double best = 0;
    for (int i = 0; i < candidates.size(); i++) {
      Map<String, Integer> frequency = new HashMap<>();
      documents.get(i).forEach(t -> frequency.merge(t, 1, Integer::sum));
      double score = 0;
      for (String term : queryTerms) {
        Integer f = frequency.get(term);
        if (f == null) {
          continue;
        }
        int n = documentFrequency.get(term);
        double idf = Math.log(1 + (candidates.size() - n + 0.5) / (n + 0.5));
        score += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * documents.get(i).size() / averageLength));
      }
      bm25[i] = score;
      best = Math.max(best, score);
    }
    List<JsonObject> ranked = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      JsonObject candidate = candidates.get(i);
      double semantic = Math.max(0, Math.min(1, candidate.getDouble("semantic", 0.0)));
      double keyword = best > 0 ? bm25[i] / best : 0;
      double score = SEMANTIC_WEIGHT * semantic + (1 - SEMANTIC_WEIGHT) * keyword;
      ranked.add(candidate.copy().put("score", Math.round(score * 10_000) / 10_000.0));
    }
    ranked.sort(Comparator.comparingDouble((JsonObject r) -> r.getDouble("score")).reversed()
      .thenComparing(r -> r.getString("created_at", ""), Comparator.reverseOrder()));
    return ranked.subList(0, Math.min(limit, ranked.size()));
  }
}
