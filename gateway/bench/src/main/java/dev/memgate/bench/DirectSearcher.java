package dev.memgate.bench;

import java.util.List;
import java.util.Optional;

/**
 * Phase 4's way to one store: the scoped searches of phase 2 made without the service, with the query vectors it
 * used. Whatever it opened is let go in {@link #close}.
 */
interface DirectSearcher extends AutoCloseable {

  /** What one search returned: the ids, nearest first, and how the store found them (null when it does not say). */
  record Hit(List<String> ids, String path) {
  }

  /** What phase 4 sends, for the report's row. */
  String label();

  /** The search settings that shape the figures, for the report; empty when there is nothing to say. */
  String settings();

  /** One search of phase 2, scoped to its user, {@value HttpSearchPhase#LIMIT} results. */
  Hit search(Question question, float[] vector);

  /** Phase 5, where the store has an approximate index to check against an exact scan; empty otherwise. */
  default Optional<HnswRecallPhase.Result> recall(List<Question> questions, List<float[]> vectors) {
    return Optional.empty();
  }

  @Override
  void close();
}
