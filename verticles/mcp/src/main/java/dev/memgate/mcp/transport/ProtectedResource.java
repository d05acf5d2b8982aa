package dev.memgate.mcp.transport;

import dev.memgate.access.oidc.OidcConfig;
import dev.memgate.access.oidc.Scopes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.function.IntSupplier;

/**
 * MCP's HTTP endpoint as an OAuth 2.0 protected resource (MCP authorization, 2025-06-18 and later): its canonical
 * URI, the Protected Resource Metadata document (RFC 9728) that tells a client which authorization server issues
 * tokens for it, and the {@code WWW-Authenticate} challenges that point a refused client at that document.
 *
 * <p>The URI is the configured public URL plus {@code /mcp} (what clients use behind a proxy), else
 * {@code http://<bind>:<port>/mcp}; tokens must name it in {@code aud} unless another audience is configured.
 */
public final class ProtectedResource {
  static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";
  static final String ENDPOINT = "/mcp";

  private final String publicUrl;
  private final String bind;
  private final IntSupplier port;
  private final OidcConfig oauth;
  private final boolean https;

  /**
   * @param publicUrl where clients reach the listener, or empty
   * @param port      the port it listens on, once it does (a configured 0 becomes a real port only then)
   * @param oauth     the authorization server whose tokens are accepted, or null
   * @param https     whether the listener serves TLS
   */
  ProtectedResource(String publicUrl, String bind, IntSupplier port, OidcConfig oauth, boolean https) {
    this.publicUrl = publicUrl;
    this.bind = bind;
    this.port = port;
    this.oauth = oauth;
    this.https = https;
  }

  /** The canonical URI of the MCP endpoint (RFC 8707, section 2). */
  String uri() {
    return uriOf(publicUrl, bind, port.getAsInt(), https);
  }

  /**
   * The MCP endpoint's canonical URI: the public URL plus {@value #ENDPOINT}, else
   * {@code http(s)://<bind>:<port>/mcp}; also the audience tokens must carry unless another is configured.
   */
  public static String uriOf(String publicUrl, String bind, int port, boolean https) {
    if (!publicUrl.isEmpty()) {
      return (publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl) + ENDPOINT;
    }
    return (https ? "https://" : "http://") + hostOf(bind) + ":" + port + ENDPOINT;
  }

  /** Where this resource's metadata is: the well-known path inserted between host and path (RFC 9728, 3.1). */
  String metadataUrl() {
    URI resource = URI.create(uri());
    String origin = resource.getScheme() + "://" + resource.getRawAuthority();
    return origin + WELL_KNOWN + resource.getRawPath();
  }

  /** The paths the metadata is served on: the well-known root, and the form suffixed with the endpoint's path. */
  static boolean isMetadataPath(String path) {
    return path.equals(WELL_KNOWN) || path.equals(WELL_KNOWN + ENDPOINT);
  }

  JsonObject metadata() {
    JsonObject metadata = new JsonObject()
      .put("resource", uri())
      .put("bearer_methods_supported", new JsonArray().add("header"))
      .put("scopes_supported", new JsonArray(Scopes.SUPPORTED))
      .put("resource_name", "Memgate");
    if (oauth != null) {
      metadata.put("authorization_servers", new JsonArray().add(oauth.issuer()));
    }
    return metadata;
  }

  /**
   * The challenge of a 401: where the metadata is, and, when a credential was presented and refused,
   * {@code error="invalid_token"} (RFC 6750, 3.1).
   */
  String unauthorizedChallenge(boolean credentialPresented) {
    StringBuilder challenge = new StringBuilder("Bearer resource_metadata=\"").append(metadataUrl()).append('"');
    if (oauth != null) {
      // What to ask the authorization server for: reading and writing. Deleting is asked for when needed, on the
      // 403 insufficient_scope of a delete (least privilege, as MCP's scope selection suggests).
      challenge.append(", scope=\"").append(Scopes.READ).append(' ').append(Scopes.WRITE).append('"');
    }
    if (credentialPresented) {
      challenge.append(", error=\"invalid_token\"");
    }
    return challenge.toString();
  }

  /** The challenge of a 403 for a scope the token lacks (RFC 6750, 3.1; MCP's step-up authorization). */
  String insufficientScopeChallenge(String scope) {
    return "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\", resource_metadata=\"" + metadataUrl()
      + "\"";
  }

  /** A host for a URI: a wildcard bind is no address a client can use, so it reads as localhost. */
  private static String hostOf(String bind) {
    if (bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]")) {
      return "localhost";
    }
    return bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
  }
}
