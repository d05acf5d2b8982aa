package dev.memgate.gateway.config;

import dev.memgate.access.oidc.OidcConfig;
import dev.memgate.mcp.McpConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The oauth.* settings and mcp.public_url: off by default, handed to both listeners when an issuer is set, with the
 * MCP endpoint's canonical URI as the default audience, and refused when that URI could not be one clients use.
 */
class OauthSettingsTest {

  @Test
  void withoutAnIssuerNoListenerAcceptsTokens() {
    VerticleConfigs configs = new VerticleConfigs(Settings.load(Map.of(), null));
    assertThat(configs.http().containsKey("oauth")).isFalse();
    assertThat(configs.mcp(true, new JsonObject().put("type", "object")).containsKey("oauth")).isFalse();
    assertThat(McpConfig.from(configs.mcp(true, new JsonObject().put("type", "object"))).oauth()).isNull();
  }

  @Test
  void anIssuerReachesBothListenersWithTheMcpEndpointAsAudience() {
    Settings settings = Settings.load(Map.of("MEMGATE_OAUTH_ISSUER", "https://auth.example.com/realms/memgate",
      "MEMGATE_OAUTH_USER_CLAIM", "email"), null);
    VerticleConfigs configs = new VerticleConfigs(settings);
    OidcConfig rest = OidcConfig.from(configs.http().getJsonObject("oauth"));
    assertThat(rest.issuer()).isEqualTo("https://auth.example.com/realms/memgate");
    assertThat(rest.audience()).isEqualTo("http://127.0.0.1:8765/mcp");
    assertThat(rest.userClaim()).isEqualTo("email");
    assertThat(rest.jwksUri()).isEmpty();
    assertThat(rest.discoveryUri())
      .isEqualTo("https://auth.example.com/realms/memgate/.well-known/openid-configuration");
    McpConfig mcp = McpConfig.from(configs.mcp(true, new JsonObject().put("type", "object")));
    assertThat(mcp.oauth()).isEqualTo(rest);

    Settings proxied = Settings.load(Map.of("MEMGATE_OAUTH_ISSUER", "https://auth.example.com",
      "MEMGATE_PUBLIC_URL", "https://memory.example.com/", "MEMGATE_BIND", "0.0.0.0"), null);
    assertThat(OidcConfig.from(new VerticleConfigs(proxied).http().getJsonObject("oauth")).audience())
      .isEqualTo("https://memory.example.com/mcp");
    Settings explicit = Settings.load(Map.of("MEMGATE_OAUTH_ISSUER", "https://auth.example.com",
      "MEMGATE_OAUTH_AUDIENCE", "api://memgate", "MEMGATE_BIND", "0.0.0.0"), null);
    assertThat(OidcConfig.from(new VerticleConfigs(explicit).http().getJsonObject("oauth")).audience())
      .isEqualTo("api://memgate");
  }

  @Test
  void anAudienceNoClientCouldUseStopsStartUp() {
    assertThatThrownBy(() -> Settings.load(Map.of("MEMGATE_OAUTH_ISSUER", "https://auth.example.com",
      "MEMGATE_BIND", "0.0.0.0"), null)).hasMessageContaining("MEMGATE_PUBLIC_URL")
      .hasMessageContaining("MEMGATE_OAUTH_AUDIENCE");
    assertThatThrownBy(() -> Settings.load(Map.of("MEMGATE_OAUTH_ISSUER", "https://auth.example.com",
      "MEMGATE_MCP_PORT", "0"), null)).hasMessageContaining("MEMGATE_PUBLIC_URL");
    assertThatThrownBy(() -> Settings.load(Map.of("MEMGATE_OAUTH_ISSUER", "ftp://auth.example.com"), null))
      .hasMessageContaining("MEMGATE_OAUTH_ISSUER");
    assertThatThrownBy(() -> Settings.load(Map.of("MEMGATE_OAUTH_JWKS_MIN_REFETCH_SECONDS", "0"), null))
      .hasMessageContaining("MEMGATE_OAUTH_JWKS_MIN_REFETCH_SECONDS");
  }
}
