package dev.memgate.gateway.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The graph settings: what auto becomes, mem0's NEO4J_* variables, and the password never shown. */
class GraphSettingsTest {

  @Test
  void autoIsTheEmbeddedGraphWithAnLlmAndNoGraphWithout() {
    assertThat(Settings.load(Map.of(), null).text("graph.store")).isEqualTo("none");
    assertThat(Settings.load(Map.of("LLM_PROVIDER", "ollama"), null).text("graph.store")).isEqualTo("embedded");
    assertThat(Settings.load(Map.of("LLM_PROVIDER", "ollama", "GRAPH_STORE", "none"), null).text("graph.store"))
      .isEqualTo("none");
  }

  @Test
  void mem0sNeo4jVariablesSelectAnExternalServerAndThePasswordStaysHidden() {
    Settings settings = Settings.load(Map.of("GRAPH_STORE", "neo4j", "NEO4J_URI", "neo4j://graph.internal:7687",
      "NEO4J_USERNAME", "memgate", "NEO4J_PASSWORD", "hunter2", "NEO4J_DATABASE", "memories"), null);
    assertThat(settings.text("neo4j.uri")).isEqualTo("neo4j://graph.internal:7687");
    assertThat(settings.text("neo4j.password")).isEqualTo("hunter2");
    assertThat(settings.publicView().encode()).doesNotContain("hunter2")
      .contains("\"database\":\"memories\"");
  }

  @Test
  void aGraphStoreThatCannotWorkIsRefusedAtStartUp() {
    assertThatThrownBy(() -> Settings.load(Map.of("GRAPH_STORE", "neo4j", "NEO4J_URI", "http://x:7474"), null))
      .hasMessageContaining("NEO4J_URI");
    assertThatThrownBy(() -> Settings.load(Map.of("GRAPH_STORE", "mysql"), null))
      .hasMessageContaining("GRAPH_STORE (graph.store) = \"mysql\": must be one of auto, embedded, neo4j, none");
    assertThatThrownBy(() -> Settings.load(Map.of("MEMGATE_GRAPH_MERGE_THRESHOLD", "1.5"), null))
      .hasMessageContaining("graph.merge_threshold");
  }
}
