package dev.memgate.gateway.config;

import dev.memgate.contract.ConfigKeyException;
import dev.memgate.contract.MemoryBus;
import dev.memgate.contract.RequiredConfig;
import dev.memgate.gateway.testing.ConfigKeys;
import dev.memgate.graph.GraphConfig;
import dev.memgate.mcp.McpConfig;
import dev.memgate.memory.add.InferenceConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The waits around an inferred add are computed once, by the composition root, and every verticle that waits sees
 * the same values: the memory service (an LLM call, a scope's lock) and the graph service wait as long for an LLM
 * call, and the REST and MCP edges wait as long for an add. The memory service used to derive its own scope wait
 * when told none, and MCP waited a fixed minute where REST waited for a whole inferred add.
 */
class AddWaitConfigTest {
  private static final Map<String, String> LLM = Map.of("LLM_PROVIDER", "ollama", "MEMGATE_LLM_DEADLINE_MS", "45000",
    "MEMGATE_EMBEDDER_DEADLINE_MS", "15000", "GRAPH_STORE", "neo4j", "NEO4J_URI", "neo4j://127.0.0.1:9");

  @Test
  void everyVerticleSeesTheWaitsTheRootComputed() {
    VerticleConfigs configs = new VerticleConfigs(Settings.load(LLM, null));
    AddTimeouts timeouts = configs.timeouts();

    InferenceConfig memory = InferenceConfig.from(RequiredConfig.of("memory verticle", configs.memory())
      .section("inference"));
    GraphConfig graph = GraphConfig.from(configs.graph(0.2));
    McpConfig mcp = McpConfig.from(configs.mcp(true));

    assertThat(memory.scopeWaitMs()).isEqualTo(timeouts.scopeWaitMs());
    assertThat(memory.llmTimeoutMs()).isEqualTo(timeouts.llmCallMs()).isEqualTo(graph.llmTimeoutMs());
    assertThat(configs.memory().getJsonObject("graph").getLong("prepare_timeout_ms"))
      .isEqualTo(timeouts.graphPrepareMs());
    assertThat(mcp.addTimeoutMs()).isEqualTo(configs.http().getLong("add_timeout_ms")).isEqualTo(timeouts.addMs());
  }

  @Test
  void eachWaitOutlastsTheWaitsInsideIt() {
    AddTimeouts timeouts = AddTimeouts.of(Settings.load(LLM, null));
    // One LLM call outlasts the provider's own deadline (45 s), retries included.
    assertThat(timeouts.llmCallMs()).isGreaterThan(45_000);
    // A scope's lock is held for at most one inferred add: two LLM calls and two embedding rounds.
    assertThat(timeouts.scopeWaitMs()).isGreaterThan(2 * timeouts.llmCallMs() + 2 * 15_000);
    assertThat(timeouts.graphPrepareMs()).isGreaterThan(2 * timeouts.llmCallMs() + 15_000);
    // An edge waits for an add queued behind another one.
    assertThat(timeouts.addMs()).isGreaterThan(2 * timeouts.scopeWaitMs());
  }

  @Test
  void withoutAnLlmBothEdgesWaitTheMemoryServicesOrdinaryTime() {
    VerticleConfigs configs = new VerticleConfigs(Settings.load(Map.of(), null));
    assertThat(configs.memory().containsKey("inference")).isFalse();
    assertThat(McpConfig.from(configs.mcp(true)).addTimeoutMs()).isEqualTo(MemoryBus.TIMEOUT_MS);
    assertThat(configs.http().getLong("add_timeout_ms")).isEqualTo(MemoryBus.TIMEOUT_MS);
  }

  @Test
  void theMemoryServiceDerivesNoWaitOfItsOwn() {
    JsonObject inference = new VerticleConfigs(Settings.load(LLM, null)).memory().getJsonObject("inference");
    for (String key : new String[] {"scope_wait_ms", "llm_timeout_ms"}) {
      assertThatThrownBy(() -> InferenceConfig.from(RequiredConfig.of("memory verticle", new JsonObject()
          .put("inference", ConfigKeys.without(inference, key))).section("inference")))
        .isInstanceOf(ConfigKeyException.class)
        .hasMessage("memory verticle: configuration key \"inference." + key + "\" is missing");
    }
  }
}
