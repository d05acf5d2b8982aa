package dev.memgate.gateway.config;

import dev.memgate.contract.ConfigKeyException;
import dev.memgate.gateway.testing.ConfigKeys;
import dev.memgate.embedding.onnx.OnnxModel;
import dev.memgate.graph.GraphConfig;
import dev.memgate.graph.spi.EmbeddedGraphServers;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The defaults in force are conf/memgate.yaml's, whichever verticle uses them: there is no second copy. */
class ConfigDefaultsTest {

  private static Map<?, ?> defaultsFile() throws IOException {
    try (InputStream in = ConfigDefaultsTest.class.getClassLoader().getResourceAsStream(Settings.DEFAULTS_RESOURCE)) {
      return (Map<?, ?>) Settings.yaml(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
  }

  private static Object fileValue(String dotted) throws IOException {
    Object node = defaultsFile();
    for (String part : dotted.split("\\.")) {
      node = ((Map<?, ?>) node).get(part);
    }
    return node;
  }

  /** What graph.store's value means, as the file documents it (auto: embedded with an LLM and the add-on). */
  private static String storeMeant(String fileValue, boolean llm) {
    return "auto".equals(fileValue) ? (llm && EmbeddedGraphServers.installed() ? "embedded" : "none") : fileValue;
  }

  @Test
  void theGraphStoreInForceIsTheOneTheDefaultFileNames() throws IOException {
    String fileValue = (String) fileValue("graph.store");

    VerticleConfigs withoutLlm = new VerticleConfigs(Settings.load(Map.of(), null));
    assertThat(withoutLlm.graphEnabled()).isEqualTo(!"none".equals(storeMeant(fileValue, false)));

    VerticleConfigs withLlm = new VerticleConfigs(Settings.load(Map.of("LLM_PROVIDER", "ollama"), null));
    String meant = storeMeant(fileValue, true);
    assertThat(withLlm.graphEnabled()).isEqualTo(!"none".equals(meant));
    if (withLlm.graphEnabled()) {
      assertThat(GraphConfig.from(withLlm.graph(0.2)).store()).isEqualTo(meant);
    }
  }

  /** The graph verticle used to start the embedded server when told nothing, whatever the file said. */
  @Test
  void theGraphVerticleHasNoStoreOfItsOwn() {
    VerticleConfigs configs = new VerticleConfigs(Settings.load(Map.of("LLM_PROVIDER", "ollama"), null));
    JsonObject withoutStore = ConfigKeys.without(configs.graph(0.2), "store");
    assertThatThrownBy(() -> GraphConfig.from(withoutStore))
      .isInstanceOf(ConfigKeyException.class)
      .hasMessage("graph verticle: configuration key \"store\" is missing");
  }

  /** The file's default in-process model is the one the runtime jar holds: the default start needs no add-on. */
  @Test
  void theDefaultOnnxModelIsTheRuntimesOwn() throws IOException {
    assertThat(fileValue("embedder.default_model.onnx")).isEqualTo(OnnxModel.DEFAULT.id());
  }

  /** An empty model means the provider's default, which the file names: /health shows the model in force. */
  @Test
  void eachProviderWithoutAModelGetsTheOneTheFileNames() throws IOException {
    for (String provider : new String[] {"onnx", "ollama", "openai"}) {
      Settings settings = Settings.load(Map.of("EMBEDDER_PROVIDER", provider, "OPENAI_API_KEY", "sk-test"), null);
      assertThat(new VerticleConfigs(settings).embedding().getString("model")).as(provider)
        .isEqualTo(fileValue("embedder.default_model." + provider))
        .isEqualTo(settings.publicView().getJsonObject("embedder").getString("model"));
    }
    for (String provider : new String[] {"ollama", "openai", "anthropic"}) {
      Settings settings = Settings.load(Map.of("LLM_PROVIDER", provider, "OPENAI_API_KEY", "sk-test",
        "ANTHROPIC_API_KEY", "sk-ant-test"), null);
      assertThat(new VerticleConfigs(settings).llm().getString("model")).as(provider)
        .isEqualTo(fileValue("llm.default_model." + provider));
    }
    Settings named = Settings.load(Map.of("EMBEDDER_MODEL", "bge-small-en-v1.5-q"), null);
    assertThat(new VerticleConfigs(named).embedding().getString("model")).isEqualTo("bge-small-en-v1.5-q");
  }
}
