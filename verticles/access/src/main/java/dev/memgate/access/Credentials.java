package dev.memgate.access;

import io.vertx.core.http.HttpServerRequest;

/**
 * Where a request carries its credential, the same on both listeners: {@code Authorization: Bearer <secret>}
 * (MCP's and OAuth's way), mem0's {@code Authorization: Token <secret>}, or {@code X-API-Key: <secret>}.
 */
public final class Credentials {
  public static final String API_KEY_HEADER = "X-API-Key";

  private Credentials() {
  }

  /** The presented secret, or null when the request carries none. */
  public static String presented(HttpServerRequest request) {
    String header = request.getHeader(API_KEY_HEADER);
    if (header != null) {
      return header.strip();
    }
    String authorization = request.getHeader("Authorization");
    if (authorization == null) {
      return null;
    }
    int space = authorization.indexOf(' ');
    String scheme = space < 0 ? "" : authorization.substring(0, space);
    if (scheme.equalsIgnoreCase("Bearer") || scheme.equalsIgnoreCase("Token")) {
      String secret = authorization.substring(space + 1).strip();
      return secret.isEmpty() ? null : secret;
    }
    return null;
  }
}
