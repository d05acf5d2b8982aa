package dev.memgate.vector.ranking;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Merges a ranking by meaning (cosine similarity) and a ranking by keywords (BM25) into one. Pure and
 * store-independent: every store gathers the same candidates (its best vector hits and its best keyword hits, each
 * with both raw scores) and calls this, so that every store ranks alike.
 *
 * <p>Cosine and BM25 live on different scales, and both scales move from query to query (BM25 with the rarity of
 * the query's words, cosine with the model and the phrasing), so each is first brought to [0, 1] over this query's
 * candidates: the cosine by where it lies in their spread (mean ± 3 standard deviations as 0 and 1), BM25 as a share
 * of the best BM25. The fused score is their weighted sum, plus a bonus for a memory dated on a day or in a month the
 * query names ({@link QueryHints}), divided so that it stays within [0, 1]. Unlike reciprocal-rank fusion, this
 * keeps how far apart two results are, not just their order, which is what decides the first few places.
 *
 * <p>The alternatives ({@link Method}, {@link VectorScale}, {@link KeywordScale}, the name bonus) stay selectable
 * because the retrieval experiments compare them; {@link #DEFAULT} is what ships, chosen on LoCoMo's tuning
 * conversations only (see the README's retrieval section).
 */
public final class HybridFusion {

  /** How the two scores are combined. */
  public enum Method {
    /** Weighted sum of the normalised scores. */
    WEIGHTED_SCORES,
    /** Reciprocal-rank fusion, {@code w/(k + rank)}: the textbook baseline, kept for comparison. */
    RECIPROCAL_RANK
  }

  /** How BM25 scores are brought to [0, 1]. */
  public enum KeywordScale {
    /** Divided by the best BM25 of the candidates: the best keyword match scores 1. */
    BEST,
    /** {@code s / (s + halfAt)}: absolute, so a weak best match stays weak. */
    SATURATING,
    /** Three standard deviations either side of the matching candidates' mean, as 0 and 1. */
    SPREAD
  }

  /** How cosines are brought to [0, 1]. */
  public enum VectorScale {
    /** The cosine itself, negatives as 0. */
    COSINE,
    /** Min-max over the candidates. */
    MIN_MAX,
    /** Three standard deviations either side of the candidates' mean, as 0 and 1 (distribution-based fusion). */
    SPREAD
  }

  /**
   * @param vectorWeight share of the vector score in the fused one (keyword gets the rest)
   * @param rrfK         k of reciprocal-rank fusion
   * @param keywordHalf  BM25 score that {@link KeywordScale#SATURATING} maps to 0.5
   * @param depth        how many hits each ranking contributes at least (more when the limit is larger)
   * @param nameBoost    added for a memory said by a person the query names ({@link QueryHints#names})
   * @param dateBoost    added for a memory dated on a day or in a month the query mentions
   */
  public record Weights(Method method, double vectorWeight, VectorScale vectorScale, KeywordScale keywordScale,
                        double keywordHalf, double rrfK, int depth, double nameBoost, double dateBoost) {
    public Weights with(double newNameBoost, double newDateBoost) {
      return new Weights(method, vectorWeight, vectorScale, keywordScale, keywordHalf, rrfK, depth, newNameBoost,
        newDateBoost);
    }
  }

  /**
   * Cosine weighs 0.7 and BM25 0.3 after scaling; 100 hits from each ranking; a date the query names adds 0.3 (0.2
   * and 0.3 measured alike on LoCoMo; 0.3 also outweighs the spread scaling's stretch of a tiny cosine gap when a
   * scope holds only a few memories). A name bonus measured no better overall (LoCoMo's adversarial questions name
   * the other speaker), so it is 0.
   */
  public static final Weights DEFAULT = new Weights(Method.WEIGHTED_SCORES, 0.7, VectorScale.SPREAD,
    KeywordScale.BEST, 5.0, 60, 100, 0, 0.3);

  /**
   * One memory that either ranking found.
   *
   * @param vector       cosine similarity to the query, or null when the store did not compute it
   * @param vectorRank   1-based place in the vector ranking, or 0 when it was not in it
   * @param keyword      raw BM25 score, or null when no query word matched (or it fell outside the keyword list)
   * @param keywordRank  1-based place in the keyword ranking, or 0 when it was not in it
   * @param actorId      who said it, or null
   * @param createdAt    its date (ISO-8601 instant)
   */
  public record Candidate(String id, Double vector, int vectorRank, Double keyword, int keywordRank, String actorId,
                          String createdAt) {
  }

  /** A fused result: the fused score, and the parts it came from (for {@code explain}). */
  public record Fused(String id, double score, Double vector, int vectorRank, Double keyword, int keywordRank,
                      double vectorPart, double keywordPart, double namePart, double datePart) {
  }

  private final Weights weights;

  public HybridFusion(Weights weights) {
    this.weights = Objects.requireNonNull(weights);
  }

  /** How many hits to take from each ranking for a search that wants {@code limit} results. */
  public int depth(int limit) {
    return Math.max(limit, weights.depth());
  }

  /** The parts of a fused score, as {@code explain} shows them. */
  public static JsonObject explain(Fused fused) {
    JsonObject parts = new JsonObject();
    if (fused.vector() != null) {
      parts.put("vector", fused.vector());
    }
    if (fused.vectorRank() > 0) {
      parts.put("vector_rank", fused.vectorRank());
    }
    if (fused.keyword() != null) {
      parts.put("keyword", fused.keyword());
    }
    if (fused.keywordRank() > 0) {
      parts.put("keyword_rank", fused.keywordRank());
    }
    parts.put("vector_part", fused.vectorPart()).put("keyword_part", fused.keywordPart());
    if (fused.namePart() > 0) {
      parts.put("name_part", fused.namePart());
    }
    if (fused.datePart() > 0) {
      parts.put("date_part", fused.datePart());
    }
    return parts.put("fused", fused.score());
  }

  /** Every candidate with its fused score, best first (ties: better vector rank first, then id). */
  public List<Fused> fuse(String query, List<Candidate> candidates) {
    QueryHints hints = QueryHints.of(query);
    List<Fused> fused = new ArrayList<>(candidates.size());
    if (weights.method() == Method.RECIPROCAL_RANK) {
      for (Candidate c : candidates) {
        double v = c.vectorRank() > 0 ? weights.vectorWeight() / (weights.rrfK() + c.vectorRank()) : 0;
        double k = c.keywordRank() > 0 ? (1 - weights.vectorWeight()) / (weights.rrfK() + c.keywordRank()) : 0;
        fused.add(new Fused(c.id(), v + k, c.vector(), c.vectorRank(), c.keyword(), c.keywordRank(), v, k, 0, 0));
      }
    } else {
      double bestKeyword = 0;
      double minVector = Double.POSITIVE_INFINITY;
      double maxVector = Double.NEGATIVE_INFINITY;
      Spread vectors = new Spread();
      Spread keywords = new Spread();
      for (Candidate c : candidates) {
        if (c.keyword() != null) {
          bestKeyword = Math.max(bestKeyword, c.keyword());
          keywords.add(c.keyword());
        }
        if (c.vector() != null) {
          minVector = Math.min(minVector, c.vector());
          maxVector = Math.max(maxVector, c.vector());
          vectors.add(c.vector());
        }
      }
      Scale vectorScale = switch (weights.vectorScale()) {
        case COSINE -> x -> Math.max(0, x);
        case MIN_MAX -> minMax(minVector, maxVector);
        case SPREAD -> vectors.scale();
      };
      Scale keywordScale = switch (weights.keywordScale()) {
        case BEST -> best(bestKeyword);
        case SATURATING -> x -> x / (x + weights.keywordHalf());
        case SPREAD -> keywords.scale();
      };
      boolean byName = weights.nameBoost() > 0;
      boolean anyNamed = byName && candidates.stream().anyMatch(c -> hints.names(c.actorId()));
      // Boosts count only when the query has names or dates, so that the fused score's top stays 1.
      double most = 1 + (anyNamed ? weights.nameBoost() : 0) + (hints.mentionsDates() ? weights.dateBoost() : 0);
      for (Candidate c : candidates) {
        double v = c.vector() == null ? 0 : weights.vectorWeight() * vectorScale.apply(c.vector()) / most;
        double k = c.keyword() == null || c.keyword() <= 0 ? 0
          : (1 - weights.vectorWeight()) * keywordScale.apply(c.keyword()) / most;
        double n = byName && hints.names(c.actorId()) ? weights.nameBoost() / most : 0;
        double d = hints.dates(c.createdAt()) ? weights.dateBoost() / most : 0;
        fused.add(new Fused(c.id(), v + k + n + d, c.vector(), c.vectorRank(), c.keyword(), c.keywordRank(), v, k, n,
          d));
      }
    }
    fused.sort(Comparator.comparingDouble(Fused::score).reversed()
      .thenComparingInt(f -> f.vectorRank() > 0 ? f.vectorRank() : Integer.MAX_VALUE)
      .thenComparing(Fused::id));
    return fused;
  }

  private interface Scale {
    double apply(double raw);
  }

  private static Scale best(double best) {
    return x -> best > 0 ? x / best : 0;
  }

  private static Scale minMax(double min, double max) {
    return x -> max > min ? (x - min) / (max - min) : 1;
  }

  /** Mean and standard deviation of a list of scores, and the scale that maps mean ± 3 sd to 0 and 1. */
  private static final class Spread {
    private int n;
    private double sum;
    private double squares;

    void add(double x) {
      n++;
      sum += x;
      squares += x * x;
    }

    Scale scale() {
      double mean = n == 0 ? 0 : sum / n;
      double sd = n == 0 ? 0 : Math.sqrt(Math.max(0, squares / n - mean * mean));
      return x -> sd == 0 ? 1 : Math.min(1, Math.max(0, (x - mean + 3 * sd) / (6 * sd)));
    }
  }
}
