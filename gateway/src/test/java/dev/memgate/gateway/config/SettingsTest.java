package dev.memgate.gateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

  @Test
  void defaultsAreTheEmbeddedServiceOnLoopback() {
    Settings settings = Settings.load(Map.of(), null);
    assertThat(settings.text("http.bind")).isEqualTo("127.0.0.1");
    assertThat(settings.integer("http.port")).isEqualTo(8080);
    assertThat(settings.text("data.dir")).isEqualTo("./data");
    assertThat(settings.text("vector.store")).isEqualTo("lucene");
    assertThat(settings.text("embedder.provider")).isEqualTo("onnx");
    assertThat(settings.text("llm.provider")).isEqualTo("none");
  }

  @Test
  void environmentVariablesOfTheOriginalSystemOverrideDefaults() {
    Settings settings = Settings.load(Map.of(
      "MEMGATE_HTTP_PORT", "9999",
      "MEMGATE_BIND", "0.0.0.0",
      "MEMGATE_API_KEY", "operator-key",
      "MEMGATE_DATA_DIR", "/var/lib/memgate",
      "EMBEDDER_PROVIDER", "Ollama",
      "OLLAMA_BASE_URL", "http://gpu-box:11434"), null);
    assertThat(settings.integer("http.port")).isEqualTo(9999);
    assertThat(settings.text("http.bind")).isEqualTo("0.0.0.0");
    assertThat(settings.text("data.dir")).isEqualTo("/var/lib/memgate");
    assertThat(settings.text("embedder.provider")).isEqualTo("ollama");
    assertThat(settings.text("ollama.base_url")).isEqualTo("http://gpu-box:11434");
    assertThat(settings.sources()).containsEntry("http.port", "env MEMGATE_HTTP_PORT");
  }

  @Test
  void aListenerBeyondLoopbackWithoutAKeyDoesNotStartUnlessTheOperatorSaysSo() {
    assertThatThrownBy(() -> Settings.load(Map.of("MEMGATE_BIND", "0.0.0.0"), null))
      .isInstanceOf(ConfigurationException.class)
      .hasMessageContaining("MEMGATE_BIND").hasMessageContaining("MEMGATE_API_KEY")
      .hasMessageContaining("MEMGATE_ALLOW_OPEN=true");
    assertThatThrownBy(() -> Settings.load(Map.of("MEMGATE_MCP_BIND", "0.0.0.0"), null))
      .hasMessageContaining("MEMGATE_MCP_BIND");
    assertThat(Settings.load(Map.of("MEMGATE_BIND", "0.0.0.0", "MEMGATE_ALLOW_OPEN", "true"), null)
      .text("http.bind")).isEqualTo("0.0.0.0");
    assertThat(Settings.load(Map.of("MEMGATE_BIND", "0.0.0.0", "MEMGATE_API_KEY", "k"), null)
      .text("http.bind")).isEqualTo("0.0.0.0");
    assertThat(Settings.load(Map.of("MEMGATE_BIND", "127.0.0.1"), null).text("http.bind")).isEqualTo("127.0.0.1");
  }

  @Test
  void ollamaHostWithoutSchemeIsAcceptedAsOllamaItselfDoes() {
    Settings settings = Settings.load(Map.of("OLLAMA_HOST", "127.0.0.1:11434"), null);
    assertThat(settings.text("ollama.base_url")).isEqualTo("http://127.0.0.1:11434");
  }

  @Test
  void aBadValueIsOneLineNamingTheVariableAndTheKey() {
    assertThatThrownBy(() -> Settings.load(Map.of("MEMGATE_HTTP_PORT", "eighty"), null))
      .isInstanceOf(ConfigurationException.class)
      .hasMessageContaining("MEMGATE_HTTP_PORT (http.port)")
      .hasMessageContaining("not a whole number")
      .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatThrownBy(() -> Settings.load(Map.of("MEMGATE_HTTP_PORT", "70000"), null))
      .hasMessageContaining("between 0 and 65535");
    assertThatThrownBy(() -> Settings.load(Map.of("VECTOR_STORE", "qdrant"), null))
      .hasMessageContaining("VECTOR_STORE (vector.store)")
      .hasMessageContaining("must be one of lucene");
    assertThatThrownBy(() -> Settings.load(Map.of("OLLAMA_BASE_URL", "ftp://x"), null))
      .hasMessageContaining("OLLAMA_BASE_URL (ollama.base_url)");
  }

  @Test
  void contradictorySettingsAreRefused() {
    assertThatThrownBy(() -> Settings.load(Map.of("EMBEDDER_PROVIDER", "openai"), null))
      .hasMessageContaining("needs OPENAI_API_KEY");
    assertThatThrownBy(() -> Settings.load(Map.of("EMBEDDER_DIMENSIONS", "768"), null))
      .hasMessageContaining("cannot be set for the onnx provider");
    assertThat(Settings.load(Map.of("EMBEDDER_PROVIDER", "openai", "OPENAI_BASE_URL", "http://localhost:1234/v1"),
      null).text("embedder.provider")).isEqualTo("openai");
  }

  @Test
  void anLlmProviderNeedsWhatItCannotWorkWithout() {
    assertThatThrownBy(() -> Settings.load(Map.of("LLM_PROVIDER", "openai"), null))
      .hasMessageContaining("LLM_PROVIDER (llm.provider) = openai needs OPENAI_API_KEY");
    assertThatThrownBy(() -> Settings.load(Map.of("LLM_PROVIDER", "anthropic"), null))
      .hasMessageContaining("LLM_PROVIDER (llm.provider) = anthropic needs ANTHROPIC_API_KEY");
    assertThatThrownBy(() -> Settings.load(Map.of("LLM_PROVIDER", "gpt"), null))
      .hasMessageContaining("must be one of anthropic, none, ollama, openai");
    assertThatThrownBy(() -> Settings.load(Map.of("LLM_TEMPERATURE", "hot"), null))
      .hasMessageContaining("LLM_TEMPERATURE (llm.temperature) = \"hot\": not a number");
    Settings local = Settings.load(Map.of("LLM_PROVIDER", "openai", "OPENAI_BASE_URL", "http://localhost:8000/v1",
      "LLM_TEMPERATURE", "0.3"), null);
    assertThat(local.text("llm.provider")).isEqualTo("openai");
    assertThat(local.decimal("llm.temperature")).isEqualTo(0.3);
    assertThat(Settings.load(Map.of("LLM_PROVIDER", "Ollama"), null).text("llm.provider")).isEqualTo("ollama");
  }

  @Test
  void aCustomPromptIsTheTextItselfOrTheFileItNames(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("facts.txt");
    Files.writeString(file, "Extract only food preferences as {\"facts\": [...]}.\n");
    Settings fromFile = Settings.load(Map.of("CUSTOM_FACT_EXTRACTION_PROMPT", file.toString(),
      "MEMGATE_CUSTOM_UPDATE_MEMORY_PROMPT", "Prefer UPDATE over DELETE."), null);
    assertThat(fromFile.text("llm.custom_fact_extraction_prompt"))
      .isEqualTo("Extract only food preferences as {\"facts\": [...]}.");
    assertThat(fromFile.text("llm.custom_update_memory_prompt")).isEqualTo("Prefer UPDATE over DELETE.");
    assertThatThrownBy(() -> Settings.load(Map.of("CUSTOM_FACT_EXTRACTION_PROMPT",
      dir.resolve("missing.txt").toString()), null))
      .hasMessageContaining("CUSTOM_FACT_EXTRACTION_PROMPT (llm.custom_fact_extraction_prompt)")
      .hasMessageContaining("no such file");
  }

  @Test
  void secretsNeverAppearInThePublicView() {
    Settings settings = Settings.load(Map.of("OPENAI_API_KEY", "sk-very-secret", "ANTHROPIC_API_KEY",
      "sk-ant-secret"), null);
    assertThat(settings.publicView().encode()).doesNotContain("sk-very-secret").doesNotContain("sk-ant-secret");
    assertThat(settings.publicView().getJsonObject("openai").getString("api_key")).isEqualTo("***");
  }

  @Test
  void aConfigurationFileOverridesDefaultsAndEnvironmentOverridesIt(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("memgate.yaml");
    Files.writeString(file, "http:\n  port: 7000\ndata:\n  dir: /srv/memgate\n");
    Settings settings = Settings.load(Map.of("MEMGATE_DATA_DIR", "/from/env"), file);
    assertThat(settings.integer("http.port")).isEqualTo(7000);
    assertThat(settings.text("data.dir")).isEqualTo("/from/env");
  }

  @Test
  void aMistypedKeyInAConfigurationFileIsReported(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("memgate.yaml");
    Files.writeString(file, "http:\n  prot: 7000\n");
    assertThatThrownBy(() -> Settings.load(Map.of(), file))
      .hasMessageContaining("unknown key http.prot");
  }

  /** conf/memgate.yaml is the documentation: every key and every environment variable is in it, nothing else. */
  @Test
  void theDefaultFileDocumentsEveryKeyAndEnvironmentVariable() throws IOException {
    String text;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(Settings.DEFAULTS_RESOURCE)) {
      assertThat(in).isNotNull();
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Object tree;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(Settings.DEFAULTS_RESOURCE)) {
      tree = Settings.yaml(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    List<String> fileKeys = new ArrayList<>();
    flatten("", (Map<?, ?>) tree, fileKeys);
    assertThat(fileKeys).containsExactlyInAnyOrderElementsOf(
      Settings.keys().stream().map(SettingKey::name).toList());
    for (SettingKey key : Settings.keys()) {
      for (String env : key.env()) {
        assertThat(text).as("conf/memgate.yaml mentions %s for %s", env, key.name()).contains(env);
      }
    }
    for (String line : text.lines().toList()) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty() && !trimmed.startsWith("#") && !trimmed.endsWith(":")) {
        int index = text.indexOf(line);
        String before = text.substring(0, index).stripTrailing();
        String previous = before.substring(before.lastIndexOf('\n') + 1).strip();
        assertThat(previous).as("a comment documents the key on line: %s", trimmed).startsWith("#");
      }
    }
  }

  private static void flatten(String prefix, Map<?, ?> map, List<String> into) {
    map.forEach((k, v) -> {
      if (v instanceof Map<?, ?> nested) {
        flatten(prefix + k + ".", nested, into);
      } else {
        into.add(prefix + k);
      }
    });
  }
}
