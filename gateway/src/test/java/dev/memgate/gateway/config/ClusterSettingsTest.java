package dev.memgate.gateway.config;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cluster.* settings: off by default, and a clustered node with a store in its own files is refused. */
class ClusterSettingsTest {
  private static final Map<String, String> SHARED_STORE = Map.of("MEMGATE_CLUSTER_ENABLED", "true",
    "VECTOR_STORE", "pgvector", "DATABASE_URL", "postgresql://memgate@db.internal:5432/memgate");

  @Test
  void clusteringIsOffByDefaultOnLoopback() {
    Settings settings = Settings.load(Map.of(), null);
    assertThat(settings.flag("cluster.enabled")).isFalse();
    assertThat(settings.text("cluster.host")).isEqualTo("127.0.0.1");
    assertThat(settings.text("cluster.name")).isEqualTo("memgate");
    assertThat(settings.list("cluster.members")).isEmpty();
  }

  @Test
  void aClusteredNodeOnTheSharedStoresTakesItsMembersFromTheEnvironment() {
    Settings settings = Settings.load(with("MEMGATE_CLUSTER_MEMBERS", "10.0.0.5:5701, node-2:5701,[::1]:5702",
      "MEMGATE_CLUSTER_NAME", "prod-eu", "MEMGATE_CLUSTER_PORT", "5801", "GRAPH_STORE", "neo4j",
      "NEO4J_URI", "neo4j://graph.internal:7687"), null);
    assertThat(settings.list("cluster.members")).containsExactly("10.0.0.5:5701", "node-2:5701", "[::1]:5702");
    assertThat(settings.text("cluster.name")).isEqualTo("prod-eu");
    assertThat(settings.integer("cluster.port")).isEqualTo(5801);
  }

  @Test
  void aClusteredNodeRefusesTheEmbeddedLuceneStoreNamingTheSetting() {
    assertThatThrownBy(() -> Settings.load(Map.of("MEMGATE_CLUSTER_ENABLED", "true"), null))
      .isInstanceOf(ConfigurationException.class)
      .hasMessageContaining("MEMGATE_CLUSTER_ENABLED (cluster.enabled) = true needs VECTOR_STORE (vector.store) = "
        + "pgvector")
      .hasMessageContaining("lucene keeps its files on one node")
      .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aClusteredNodeRefusesTheEmbeddedGraphWhetherNamedOrPickedByAuto() {
    assertThatThrownBy(() -> Settings.load(with("GRAPH_STORE", "embedded"), null))
      .isInstanceOf(ConfigurationException.class)
      .hasMessageContaining("needs GRAPH_STORE (graph.store) = neo4j");
    assertThatThrownBy(() -> Settings.load(with("LLM_PROVIDER", "ollama"), null))
      .isInstanceOf(ConfigurationException.class)
      .hasMessageContaining("needs GRAPH_STORE (graph.store) = neo4j");
    assertThat(Settings.load(with("LLM_PROVIDER", "ollama", "GRAPH_STORE", "none"), null).text("graph.store"))
      .isEqualTo("none");
  }

  @Test
  void badClusterValuesStopStartUpNamingTheKey() {
    assertThatThrownBy(() -> Settings.load(with("MEMGATE_CLUSTER_MEMBERS", "10.0.0.5"), null))
      .hasMessageContaining("MEMGATE_CLUSTER_MEMBERS (cluster.members): \"10.0.0.5\" is not host:port");
    assertThatThrownBy(() -> Settings.load(with("MEMGATE_CLUSTER_MEMBERS", "a:70000"), null))
      .hasMessageContaining("MEMGATE_CLUSTER_MEMBERS (cluster.members): \"a:70000\"");
    assertThatThrownBy(() -> Settings.load(with("MEMGATE_CLUSTER_NAME", "two words"), null))
      .hasMessageContaining("MEMGATE_CLUSTER_NAME (cluster.name)");
    assertThatThrownBy(() -> Settings.load(with("MEMGATE_CLUSTER_PORT", "0"), null))
      .hasMessageContaining("MEMGATE_CLUSTER_PORT (cluster.port) = \"0\": must be between 1 and 65535");
    assertThatThrownBy(() -> Settings.load(with("MEMGATE_CLUSTER_HOST", ""), null))
      .hasMessageContaining("MEMGATE_CLUSTER_HOST (cluster.host): must not be empty");
  }

  private static Map<String, String> with(String... pairs) {
    Map<String, String> env = new HashMap<>(SHARED_STORE);
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }
}
