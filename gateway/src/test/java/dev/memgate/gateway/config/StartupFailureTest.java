package dev.memgate.gateway.config;

import dev.memgate.gateway.testing.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How Memgate refuses to start, as a person running it sees it: exit code and one clear line on stderr. */
class StartupFailureTest {

  @Test
  void aBadSettingStopsStartUpWithOneLineNamingTheKey(@TempDir Path dataDir) throws Exception {
    try (ServiceProcess process = ServiceProcess.start(Map.of("MEMGATE_DATA_DIR", dataDir.toString(),
      "MEMGATE_HTTP_PORT", "not-a-port"))) {
      assertThat(process.waitForExit(60)).isEqualTo(2);
      // The JVM's own notice about the vector incubator module may precede it; Memgate says one line.
      assertThat(process.stderr().strip().lines().filter(line -> !line.startsWith("WARNING: Using incubator"))
        .toList()).containsExactly(
        "memgate: configuration error: MEMGATE_HTTP_PORT (http.port) = \"not-a-port\": not a whole number");
    }
  }

  @Test
  void aStoreBuiltWithAnotherEmbeddingModelIsNotOpened(@TempDir Path dataDir) throws Exception {
    try (ServiceProcess first = ServiceProcess.serve(dataDir)) {
      first.close();
    }
    // nomic-embed-text has a known size, so no Ollama server is needed to reach the store check.
    try (ServiceProcess second = ServiceProcess.start(Map.of("MEMGATE_DATA_DIR", dataDir.toString(),
      "MEMGATE_HTTP_PORT", "0", "EMBEDDER_PROVIDER", "ollama", "EMBEDDER_MODEL", "nomic-embed-text",
      "OLLAMA_BASE_URL", "http://127.0.0.1:9"))) {
      assertThat(second.waitForExit(60)).isEqualTo(1);
      assertThat(second.stderr()).contains("memgate: failed to start: the store at")
        .contains("was built with embedding model e5-small-v2-q (384 dimensions)")
        .contains("the configured embedder is nomic-embed-text (768 dimensions)");
    }
  }

  @Test
  void aSecondProcessOnTheSameDataDirectoryIsToldItIsInUse(@TempDir Path dataDir) throws Exception {
    try (ServiceProcess first = ServiceProcess.serve(dataDir);
         ServiceProcess second = ServiceProcess.start(Map.of("MEMGATE_DATA_DIR", dataDir.toString(),
           "MEMGATE_HTTP_PORT", "0"))) {
      assertThat(second.waitForExit(60)).isEqualTo(1);
      assertThat(second.stderr()).contains("is in use by another Memgate process");
      assertThat(first.api().get("/health").status()).isEqualTo(200);
    }
  }
}
