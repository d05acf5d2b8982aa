package dev.memgate.embedding;

import io.vertx.core.Future;

import java.util.List;

/**
 * How similar a model finds texts that have nothing in common. Models differ a lot: all-MiniLM puts two unrelated
 * words near cosine 0.1, e5-small near 0.85, so one absolute threshold ("names closer than 0.9 are the same
 * entity") means very different things from model to model. Measured once per model on fixed unrelated words, this
 * lets thresholds be stated relative to it: {@code raw = baseline + t * (1 - baseline)}.
 */
final class SimilarityBaseline {
  /** Words from unrelated domains; their mean pairwise cosine is the baseline. */
  static final List<String> PROBES = List.of("mountain", "invoice", "violin", "breakfast", "satellite", "grammar",
    "umbrella", "cardiology", "tuesday", "volcano", "spreadsheet", "lullaby");

  private SimilarityBaseline() {
  }

  static Future<Double> measure(EmbeddingProvider provider) {
    return provider.embed(PROBES, EmbeddingProvider.Purpose.DOCUMENT).map(SimilarityBaseline::meanPairwiseCosine);
  }

  static double meanPairwiseCosine(List<float[]> vectors) {
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < vectors.size(); i++) {
      for (int j = i + 1; j < vectors.size(); j++) {
        sum += cosine(vectors.get(i), vectors.get(j));
        pairs++;
      }
    }
    double mean = pairs == 0 ? 0 : sum / pairs;
    return Math.max(0, Math.min(0.95, mean));
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}
