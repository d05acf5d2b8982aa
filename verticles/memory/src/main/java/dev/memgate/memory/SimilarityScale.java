package dev.memgate.memory;

/**
 * Similarity as a person means it: 0 for texts that have nothing in common, 1 for the same text, whatever the
 * embedding model. Raw cosines are not that: all-MiniLM puts unrelated texts near 0.2, e5-small near 0.83, so a
 * mem0 user's {@code "threshold": 0.5} would keep everything with one model and little with another. Vector-mode
 * scores are reported, and thresholds read, on this scale: {@code relative = (cosine - b) / (1 - b)}, where b is the
 * model's baseline that the embedding service measures when the model loads and sends with every vector (0
 * when unknown: raw cosines then).
 */
public record SimilarityScale(double baseline) {

  public double toRaw(double relative) {
    return baseline + relative * (1 - baseline);
  }

  public double toRelative(double cosine) {
    return Math.max(0, Math.min(1, (cosine - baseline) / (1 - baseline)));
  }
}
