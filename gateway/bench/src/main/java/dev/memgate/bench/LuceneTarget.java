package dev.memgate.bench;

import dev.memgate.gateway.config.Settings;
import dev.memgate.vector.MemoryStore;
import dev.memgate.vector.lucene.LuceneMemoryStore;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.Map;

/** The embedded default: one Lucene index on disk under the data directory. */
final class LuceneTarget implements StoreTarget {
  /** Where VectorVerticle puts the index inside data.dir; the direct phase must open the same files. */
  private static final String INDEX_DIRECTORY = "lucene";

  @Override
  public String name() {
    return "lucene";
  }

  @Override
  public Map<String, String> serviceEnvironment(Path dataDir) {
    return Map.of("VECTOR_STORE", "lucene");
  }

  /** The store itself, opened in this JVM with the service's read threads: no HTTP, no bus, no JSON. */
  @Override
  public DirectSearcher openDirect(Vertx vertx, Path dataDir, Settings settings,
                                   MemoryStore.EmbeddingSpec embedding) {
    int configured = settings.integer("vector.read_threads");
    int readThreads = configured > 0 ? configured : 2 * Runtime.getRuntime().availableProcessors();
    MemoryStore store = new LuceneMemoryStore(vertx, dataDir.resolve(INDEX_DIRECTORY), readThreads);
    return StoreSearcher.open(store, embedding);
  }
}
