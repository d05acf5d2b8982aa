package dev.memgate.gateway.cluster;

import dev.memgate.gateway.testing.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A node asked to cluster over a store in its own files stops before it joins anything. */
class ClusterStartupRefusalTest {

  @Test
  void aClusteredNodeOnTheEmbeddedStoreExitsWithOneLineNamingTheSetting(@TempDir Path dataDir) throws Exception {
    try (ServiceProcess process = ServiceProcess.start(Map.of("MEMGATE_DATA_DIR", dataDir.toString(),
      "MEMGATE_HTTP_PORT", "0", "MEMGATE_CLUSTER_ENABLED", "true", "MEMGATE_CLUSTER_PORT", "15799"))) {
      assertThat(process.waitForExit(60)).isEqualTo(2);
      assertThat(process.stderr().strip().lines().filter(line -> !line.startsWith("WARNING: Using incubator"))
        .toList()).containsExactly("memgate: configuration error: MEMGATE_CLUSTER_ENABLED (cluster.enabled) = true "
        + "needs VECTOR_STORE (vector.store) = pgvector, the store every node shares; lucene keeps its files on one "
        + "node");
      // Nothing was created for a node that never started.
      assertThat(dataDir).isEmptyDirectory();
    }
  }
}
