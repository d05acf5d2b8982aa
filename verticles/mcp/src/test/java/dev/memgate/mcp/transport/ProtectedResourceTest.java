package dev.memgate.mcp.transport;

import dev.memgate.access.oidc.OidcConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProtectedResourceTest {
  private static final OidcConfig ISSUER = new OidcConfig("https://auth.example.com", "x", "", "sub", 30, 3600, 30,
    5000);

  @Test
  void theResourceIsThePublicUrlPlusMcpElseDerivedFromTheBindAndTheActualPort() {
    assertThat(new ProtectedResource("https://memory.example.com/", "0.0.0.0", () -> 8765, null, false).uri())
      .isEqualTo("https://memory.example.com/mcp");
    assertThat(new ProtectedResource("", "127.0.0.1", () -> 41234, null, false).uri())
      .isEqualTo("http://127.0.0.1:41234/mcp");
    assertThat(new ProtectedResource("", "::1", () -> 8765, null, false).uri()).isEqualTo("http://[::1]:8765/mcp");
    assertThat(new ProtectedResource("", "127.0.0.1", () -> 8765, null, true).uri())
      .isEqualTo("https://127.0.0.1:8765/mcp");
    assertThat(new ProtectedResource("", "0.0.0.0", () -> 8765, null, false).uri())
      .isEqualTo("http://localhost:8765/mcp");
  }

  @Test
  void theMetadataUrlInsertsTheWellKnownPathBetweenHostAndPath() {
    ProtectedResource proxied = new ProtectedResource("https://example.com/memgate", "127.0.0.1", () -> 1, ISSUER,
      false);
    assertThat(proxied.metadataUrl())
      .isEqualTo("https://example.com/.well-known/oauth-protected-resource/memgate/mcp");
    assertThat(proxied.unauthorizedChallenge(false)).isEqualTo("Bearer resource_metadata=\"https://example.com/"
      + ".well-known/oauth-protected-resource/memgate/mcp\", scope=\"memories:read memories:write\"");
    assertThat(proxied.unauthorizedChallenge(true)).endsWith(", error=\"invalid_token\"");
    assertThat(proxied.metadata().getJsonArray("authorization_servers")).containsExactly("https://auth.example.com");
    assertThat(new ProtectedResource("", "127.0.0.1", () -> 8765, null, false).metadata().containsKey(
      "authorization_servers")).isFalse();
  }
}
