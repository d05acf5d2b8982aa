package dev.memgate.gateway.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mcp.* settings: their defaults, their environment variables, and the mistakes that stop start-up. */
class McpSettingsTest {

  @Test
  void defaultsServeMcpOnLoopbackPort8765ForTheDefaultUserWithoutAToken() {
    Settings settings = Settings.load(Map.of(), null);
    assertThat(settings.flag("mcp.enabled")).isTrue();
    assertThat(settings.text("mcp.bind")).isEqualTo("127.0.0.1");
    assertThat(settings.integer("mcp.port")).isEqualTo(8765);
    assertThat(settings.text("mcp.token")).isEmpty();
    assertThat(settings.text("mcp.default_user")).isEqualTo("default_user");
    assertThat(settings.allowedOrigins()).contains("http://localhost:*", "http://127.0.0.1:*");
    assertThat(settings.flag("mcp.stdio_http")).isFalse();
  }

  @Test
  void environmentVariablesSetThem() {
    Settings settings = Settings.load(Map.of("MEMGATE_MCP_PORT", "9000", "MEMGATE_BIND", "0.0.0.0",
      "MEMGATE_MCP_TOKEN", "t0ken", "MEMGATE_DEFAULT_USER", "alice", "MEMGATE_MCP_ALLOWED_ORIGINS",
      "https://app.example.com, http://localhost:*", "MEMGATE_MCP_ENABLED", "FALSE", "MEMGATE_API_KEY", "k"), null);
    assertThat(settings.integer("mcp.port")).isEqualTo(9000);
    assertThat(settings.text("mcp.bind")).isEqualTo("0.0.0.0");
    assertThat(settings.text("http.bind")).isEqualTo("0.0.0.0");
    assertThat(settings.text("mcp.default_user")).isEqualTo("alice");
    assertThat(settings.allowedOrigins()).isEqualTo(List.of("https://app.example.com", "http://localhost:*"));
    assertThat(settings.flag("mcp.enabled")).isFalse();
    assertThat(settings.publicView().getJsonObject("mcp").getString("token")).isEqualTo("***");
    assertThat(Settings.load(Map.of("MEMGATE_MCP_BIND", "127.0.0.2", "MEMGATE_BIND", "0.0.0.0", "MEMGATE_API_KEY", "k"), null)
      .text("mcp.bind")).isEqualTo("127.0.0.2");
  }

  @Test
  void mistakesStopStartUpNamingTheVariable() {
    assertThatThrownBy(() -> Settings.load(Map.of("MEMGATE_MCP_PORT", "8080"), null))
      .hasMessageContaining("MEMGATE_MCP_PORT").hasMessageContaining("REST port");
    assertThatThrownBy(() -> Settings.load(Map.of("MEMGATE_MCP_ALLOWED_ORIGINS", "localhost:3000"), null))
      .hasMessageContaining("MEMGATE_MCP_ALLOWED_ORIGINS");
    assertThatThrownBy(() -> Settings.load(Map.of("MEMGATE_MCP_PORT", "70000"), null))
      .hasMessageContaining("MEMGATE_MCP_PORT");
    assertThatThrownBy(() -> Settings.load(Map.of("MEMGATE_MCP_ENABLED", "maybe"), null))
      .hasMessageContaining("MEMGATE_MCP_ENABLED");
    assertThatThrownBy(() -> Settings.load(Map.of("MEMGATE_MCP_SESSION_IDLE_MINUTES", "0"), null))
      .hasMessageContaining("MEMGATE_MCP_SESSION_IDLE_MINUTES");
    assertThatThrownBy(() -> Settings.load(Map.of("MEMGATE_DEFAULT_USER", "a\tb"), null))
      .hasMessageContaining("MEMGATE_DEFAULT_USER");
  }
}
