package dev.memgate.embedding;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;

/**
 * How similar a model finds texts that have nothing in common. Models differ a lot: all-MiniLM puts two unrelated
 * words near cosine 0.2, e5-small near 0.83, so one absolute threshold ("names closer than 0.9 are the same
 * entity") means very different things from model to model. Measured once per model on fixed unrelated texts, this
 * lets thresholds be stated relative to it: {@code raw = baseline + t * (1 - baseline)}.
 *
 * <p>Two baselines, because a model treats a search differently from a comparison of names: {@code words} compares
 * single words embedded as documents (what the graph compares entity names with), {@code search} compares questions
 * embedded as queries with sentences on other subjects embedded as documents (what a memory search compares; e5
 * puts these near 0.69, MiniLM near 0.05).
 */
final class SimilarityBaseline {
  /** Words from unrelated domains; their mean pairwise cosine is the words baseline. */
  static final List<String> WORDS = List.of("mountain", "invoice", "violin", "breakfast", "satellite", "grammar",
    "umbrella", "cardiology", "tuesday", "volcano", "spreadsheet", "lullaby");

  /** Questions none of {@link #STATEMENTS} answers or touches on. */
  static final List<String> QUESTIONS = List.of("What did the committee decide about the budget?",
    "How tall is the lighthouse?", "When does the train to the airport leave?", "Which vaccine did the clinic use?",
    "Who won the chess tournament?", "What colour is the new sofa?");

  /** Statements from domains far from each other and from the questions. */
  static final List<String> STATEMENTS = List.of("The invoice for the roof repair is due on Friday",
    "Volcanoes erupt when magma pressure builds up", "The violin concerto was composed in 1806",
    "Satellites orbit the earth every ninety minutes", "Grammar rules differ between languages",
    "I bake sourdough bread on Sunday mornings", "My cousin collects vintage stamps",
    "The spreadsheet lists every warehouse shipment");

  /** The model's baselines: for comparing names, and for searching memories with a question. */
  record Baselines(double words, double search) {
  }

  private SimilarityBaseline() {
  }

  /** Two model calls, one per purpose: it runs while the service starts, before the model answers a request. */
  static Future<Baselines> measure(EmbeddingProvider provider) {
    List<String> documents = new ArrayList<>(WORDS);
    documents.addAll(STATEMENTS);
    return provider.embed(documents, EmbeddingProvider.Purpose.DOCUMENT)
      .compose(embedded -> provider.embed(QUESTIONS, EmbeddingProvider.Purpose.QUERY)
        .map(questions -> new Baselines(meanPairwiseCosine(embedded.subList(0, WORDS.size())),
          meanCrossCosine(questions, embedded.subList(WORDS.size(), embedded.size())))));
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
    return bounded(pairs == 0 ? 0 : sum / pairs);
  }

  static double meanCrossCosine(List<float[]> queries, List<float[]> documents) {
    double sum = 0;
    int pairs = 0;
    for (float[] query : queries) {
      for (float[] document : documents) {
        sum += cosine(query, document);
        pairs++;
      }
    }
    return bounded(pairs == 0 ? 0 : sum / pairs);
  }

  /** A model that puts unrelated texts below 0 has no baseline to subtract; one at 1 leaves no scale. */
  private static double bounded(double mean) {
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
