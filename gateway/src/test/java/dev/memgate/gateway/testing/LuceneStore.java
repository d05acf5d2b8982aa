package dev.memgate.gateway.testing;

import java.nio.file.Path;
import java.util.Map;

/** The embedded default: Lucene on disk under the data directory. */
public final class LuceneStore implements StoreFixture {
  @Override
  public String name() {
    return "lucene";
  }

  @Override
  public Map<String, String> environment(Path dataDir) {
    return Map.of("VECTOR_STORE", "lucene");
  }
}
