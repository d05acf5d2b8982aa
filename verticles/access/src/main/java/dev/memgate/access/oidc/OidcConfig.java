package dev.memgate.access.oidc;

import dev.memgate.contract.RequiredConfig;
import io.vertx.core.json.JsonObject;

/**
 * Which external authorization server's tokens Memgate accepts, and how it checks them. Complete as the composition
 * root hands it over ({@code oauth} in {@code conf/memgate.yaml}); a listener that gets none accepts no tokens.
 *
 * @param issuer            the issuer URL, exactly as tokens carry it in {@code iss}
 * @param audience          what a token's {@code aud} must contain: by default the MCP endpoint's canonical URI
 *                          (RFC 8707), so that a token issued for another service is refused here
 * @param jwksUri           where the issuer publishes its keys; empty to discover it from
 *                          {@code <issuer>/.well-known/openid-configuration}
 * @param userClaim         the claim that names the user a token acts for
 * @param leewaySeconds     clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}
 * @param refreshSeconds    how often the keys are fetched again, so that a removed key stops working
 * @param minRefetchSeconds the least time between two fetches caused by tokens naming an unknown key: a flood of
 *                          forged tokens costs the issuer at most one request per this many seconds
 * @param fetchTimeoutMs    how long one fetch may take before the issuer counts as unreachable
 */
public record OidcConfig(String issuer, String audience, String jwksUri, String userClaim, int leewaySeconds,
                         int refreshSeconds, int minRefetchSeconds, int fetchTimeoutMs) {

  public static OidcConfig from(JsonObject json) {
    RequiredConfig config = RequiredConfig.of("oauth", json);
    OidcConfig oidc = new OidcConfig(config.text("issuer"), config.text("audience"), config.text("jwks_uri"),
      config.text("user_claim"), config.integer("leeway_seconds"), config.integer("jwks_refresh_seconds"),
      config.integer("jwks_min_refetch_seconds"), config.integer("fetch_timeout_ms"));
    if (oidc.issuer.isEmpty() || oidc.audience.isEmpty() || oidc.userClaim.isEmpty()) {
      throw new IllegalArgumentException("oauth: issuer, audience and user_claim must not be empty");
    }
    return oidc;
  }

  public JsonObject toJson() {
    return new JsonObject().put("issuer", issuer).put("audience", audience).put("jwks_uri", jwksUri)
      .put("user_claim", userClaim).put("leeway_seconds", leewaySeconds).put("jwks_refresh_seconds", refreshSeconds)
      .put("jwks_min_refetch_seconds", minRefetchSeconds).put("fetch_timeout_ms", fetchTimeoutMs);
  }

  /** Where the issuer's OpenID Connect discovery document is (OpenID Connect Discovery 1.0, section 4). */
  public String discoveryUri() {
    return (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
      + "/.well-known/openid-configuration";
  }
}
