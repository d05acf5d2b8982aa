package dev.memgate.gateway.graph;

import dev.memgate.gateway.testing.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A distribution without the embedded Neo4j module (GPLv3) still starts, and says why it cannot embed one. */
class GraphStartupTest {

  @Test
  void withoutTheEmbeddedModuleGraphStoreEmbeddedIsOneClearLine(@TempDir Path dataDir) throws Exception {
    String withoutEmbedded = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
      .filter(entry -> !entry.contains("graph-embedded"))
      .collect(Collectors.joining(File.pathSeparator));
    assertThat(withoutEmbedded).isNotEqualTo(System.getProperty("java.class.path"));

    try (ServiceProcess process = ServiceProcess.startWithClassPath(withoutEmbedded, Map.of(
      "MEMGATE_DATA_DIR", dataDir.toString(), "MEMGATE_HTTP_PORT", "0", "GRAPH_STORE", "embedded"))) {
      assertThat(process.waitForExit(120)).isEqualTo(2);
      assertThat(process.stderr().lines().filter(line -> line.startsWith("memgate:")).toList()).containsExactly(
        "memgate: configuration error: GRAPH_STORE (graph.store) = embedded: needs the embedded Neo4j add-on "
          + "(memgate-graph-embedded, Neo4j Community under GPLv3), which this installation lacks: put "
          + "memgate-graph-embedded.jar in the addons/ folder beside memgate.jar (gateway/bin/memgate build makes it "
          + "in gateway/target/addons/), or set GRAPH_STORE=neo4j with NEO4J_URI, or GRAPH_STORE=none");
    }
  }

  @Test
  void neo4jWithoutAUriIsAConfigurationError(@TempDir Path dataDir) throws Exception {
    try (ServiceProcess process = ServiceProcess.start(Map.of("MEMGATE_DATA_DIR", dataDir.toString(),
      "GRAPH_STORE", "neo4j", "NEO4J_PASSWORD", "s3cret-value"))) {
      assertThat(process.waitForExit(60)).isEqualTo(2);
      assertThat(process.stderr()).contains("GRAPH_STORE (graph.store) = neo4j needs NEO4J_URI")
        .doesNotContain("s3cret-value");
    }
  }
}
