package dev.memgate.bench.locomo;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Evidence recall@k (the LoCoMo paper's definition: the share of a question's evidence turns found in the top k),
 * hit@k (at least one found) and MRR (1 / rank of the first evidence turn, 0 when none is in the list), per
 * category and over categories 1-4 and over all.
 */
public final class RetrievalScores {
  public static final int[] KS = {1, 5, 10, 25, 50};
  public static final Map<Integer, String> CATEGORIES = Map.of(1, "multi-hop", 2, "temporal", 3, "open-domain",
    4, "single-hop", 5, "adversarial");

  private final Map<String, Totals> groups = new LinkedHashMap<>();

  private static final class Totals {
    int questions;
    final double[] recall = new double[KS.length];
    final double[] hit = new double[KS.length];
    double reciprocalRank;
  }

  /** Records one question: its evidence and the retrieved turns, best first (duplicates already removed). */
  public void add(int category, List<String> evidence, List<String> retrieved) {
    if (evidence.isEmpty()) {
      return;
    }
    double[] recall = new double[KS.length];
    double[] hit = new double[KS.length];
    for (int i = 0; i < KS.length; i++) {
      List<String> top = retrieved.subList(0, Math.min(KS[i], retrieved.size()));
      long found = evidence.stream().filter(top::contains).count();
      recall[i] = (double) found / evidence.size();
      hit[i] = found > 0 ? 1 : 0;
    }
    double rr = 0;
    for (int rank = 0; rank < retrieved.size(); rank++) {
      if (evidence.contains(retrieved.get(rank))) {
        rr = 1.0 / (rank + 1);
        break;
      }
    }
    String name = category + " " + CATEGORIES.get(category);
    for (String group : category == 5 ? List.of(name, "all") : List.of(name, "1-4", "all")) {
      Totals totals = groups.computeIfAbsent(group, g -> new Totals());
      totals.questions++;
      for (int i = 0; i < KS.length; i++) {
        totals.recall[i] += recall[i];
        totals.hit[i] += hit[i];
      }
      totals.reciprocalRank += rr;
    }
  }

  public double recall(String group, int k) {
    Totals totals = groups.get(group);
    return totals == null ? 0 : totals.recall[indexOf(k)] / totals.questions;
  }

  public double hit(String group, int k) {
    Totals totals = groups.get(group);
    return totals == null ? 0 : totals.hit[indexOf(k)] / totals.questions;
  }

  public double mrr(String group) {
    Totals totals = groups.get(group);
    return totals == null ? 0 : totals.reciprocalRank / totals.questions;
  }

  private static int indexOf(int k) {
    for (int i = 0; i < KS.length; i++) {
      if (KS[i] == k) {
        return i;
      }
    }
    throw new IllegalArgumentException("k=" + k);
  }

  public String table() {
    StringBuilder out = new StringBuilder();
    out.append(String.format("%-16s %5s", "category", "n"));
    for (int k : KS) {
      out.append(String.format(" %6s", "R@" + k));
    }
    for (int k : new int[] {1, 5, 10}) {
      out.append(String.format(" %6s", "hit@" + k));
    }
    out.append(String.format(" %6s%n", "MRR"));
    for (String group : ordered().keySet()) {
      Totals t = groups.get(group);
      out.append(String.format("%-16s %5d", group, t.questions));
      for (int i = 0; i < KS.length; i++) {
        out.append(String.format(" %6.1f", 100 * t.recall[i] / t.questions));
      }
      for (int i = 0; i < 3; i++) {
        out.append(String.format(" %6.1f", 100 * t.hit[i] / t.questions));
      }
      out.append(String.format(" %6.3f%n", t.reciprocalRank / t.questions));
    }
    return out.toString();
  }

  private Map<String, Totals> ordered() {
    Map<String, Totals> ordered = new TreeMap<>((a, b) -> rank(a) - rank(b) != 0 ? rank(a) - rank(b)
      : a.compareTo(b));
    ordered.putAll(groups);
    return ordered;
  }

  private static int rank(String group) {
    return switch (group) {
      case "1-4" -> 10;
      case "all" -> 11;
      default -> 0;
    };
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    for (Map.Entry<String, Totals> group : ordered().entrySet()) {
      Totals t = group.getValue();
      JsonObject g = new JsonObject().put("questions", t.questions).put("mrr", t.reciprocalRank / t.questions);
      for (int i = 0; i < KS.length; i++) {
        g.put("recall@" + KS[i], t.recall[i] / t.questions).put("hit@" + KS[i], t.hit[i] / t.questions);
      }
      json.put(group.getKey(), g);
    }
    return json;
  }
}
