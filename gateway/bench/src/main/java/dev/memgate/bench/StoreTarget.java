package dev.memgate.bench;

import dev.memgate.gateway.config.Settings;
import dev.memgate.vector.MemoryStore;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A vector store the benchmark can measure: what it needs before the service starts, how the service is told to
 * use it, how phase 4 searches the very same data without the service, and what to remove afterwards. Adding a
 * store here (and to {@link #named}) is all the benchmark needs to measure it.
 */
interface StoreTarget {

  /** The --store value. */
  String name();

  /** Makes whatever the store needs outside the data directory (a database); {@link #cleanUp} undoes it. */
  default void prepare() {
  }

  /** Environment variables, on top of the service's defaults, that make it keep its memories in this store. */
  Map<String, String> serviceEnvironment(Path dataDir);

  /**
   * Phase 4's searcher over what the service wrote; called after the service has stopped and let go of it.
   *
   * @param settings  the service's settings, to search as it did
   * @param embedding the model and vector size the store was built for
   */
  DirectSearcher openDirect(Vertx vertx, Path dataDir, Settings settings, MemoryStore.EmbeddingSpec embedding);

  /** Where the memories were kept, for the report; null when it is the data directory. */
  default String where() {
    return null;
  }

  /** Removes what {@link #prepare} made, unless asked to keep it; called whether the run succeeded or not. */
  default void cleanUp() {
  }

  static List<String> names() {
    return List.of("lucene", "pgvector");
  }

  static StoreTarget named(BenchOptions options) {
    return switch (options.store()) {
      case "lucene" -> new LuceneTarget();
      case "pgvector" -> new PgVectorTarget(options.databaseUrl(), options.keep());
      default -> throw new IllegalArgumentException("no store target " + options.store() + " (known: " + names()
        + ")");
    };
  }
}
