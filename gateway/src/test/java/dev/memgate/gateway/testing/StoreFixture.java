package dev.memgate.gateway.testing;

import java.nio.file.Path;
import java.util.Map;

/**
 * A vector store the behaviour suites run against: the environment variables that select it, and the clean-up of
 * whatever it created. The same suite runs unchanged against every fixture.
 */
public interface StoreFixture extends AutoCloseable {

  /** A short name for test reports: lucene, pgvector. */
  String name();

  /** Environment for a service whose embedded files live under {@code dataDir}. */
  Map<String, String> environment(Path dataDir);

  @Override
  default void close() throws Exception {
  }
}
