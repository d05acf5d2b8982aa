package dev.memgate.vector;

import dev.memgate.contract.BusFailure;
import dev.memgate.vector.MemoryStore.Change;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What every store checks of an {@link MemoryStore#apply} before it touches anything: each memory appears in one
 * change only, and every added or re-worded memory carries a vector of the store's dimension. The checks that need
 * the stored memories (present, in the scope, ids unused) are the store's own, inside its transaction.
 */
public final class ChangeChecks {
  private ChangeChecks() {
  }

  /** The first reason to refuse the changes, or null when they may be applied. */
  public static BusFailure refusal(List<Change> changes, int dimension) {
    Set<String> ids = new HashSet<>();
    for (Change change : changes) {
      if (!ids.add(change.id())) {
        return BusFailure.badInput("changes", "memory " + change.id() + " appears in two changes");
      }
      float[] vector = switch (change) {
        case Change.Add add -> add.record().vector();
        case Change.Update update -> update.patch().text() == null ? null : update.patch().vector();
        case Change.Delete delete -> null;
      };
      boolean needsVector = change instanceof Change.Add
        || (change instanceof Change.Update update && update.patch().text() != null);
      if (needsVector && (vector == null || vector.length != dimension)) {
        return BusFailure.badInput("vector", "vector of " + dimension + " dimensions required");
      }
    }
    return null;
  }
}
