package dev.memgate.mcp.transport;

import dev.memgate.edge.OriginPolicy;
import dev.memgate.mcp.protocol.JsonRpc;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Runs first on every HTTP and WebSocket request: a browser origin that is not allowed gets 403 (whatever else the
 * request carries), and when a token is configured, a request without {@code Authorization: Bearer <token>} gets
 * 401. Session ids never stand in for either check. Allowed browser origins also get CORS headers, so a web client
 * on localhost can read {@code Mcp-Session-Id}.
 */
final class HttpGuard implements Handler<RoutingContext> {
  private static final String ALLOWED_HEADERS = "Content-Type, Accept, Authorization, Mcp-Session-Id, "
    + "Mcp-Protocol-Version, Last-Event-ID, X-Memgate-User";
  private static final String EXPOSED_HEADERS = "Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate";

  private final OriginPolicy origins;
  private final byte[] expectedAuthorization;

  /** @param token the bearer token every request must carry, or empty for none */
  HttpGuard(OriginPolicy origins, String token) {
    this.origins = origins;
    this.expectedAuthorization = token == null || token.isEmpty() ? null
      : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    String origin = request.getHeader("Origin");
    if (!origins.allows(origin)) {
      HttpReplies.error(rc.response(), 403, JsonRpc.SERVER_ERROR, "Forbidden: origin " + origin
        + " is not allowed (see mcp.allowed_origins)");
      return;
    }
    if (origin != null) {
      rc.response()
        .putHeader("Access-Control-Allow-Origin", origin)
        .putHeader("Vary", "Origin")
        .putHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    }
    if (request.method() == HttpMethod.OPTIONS) {
      // A CORS preflight carries no credentials by design; the request it announces will be checked.
      rc.response().setStatusCode(204)
        .putHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS")
        .putHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS)
        .putHeader("Access-Control-Max-Age", "600")
        .end();
      return;
    }
    if (expectedAuthorization != null && !authorized(request.getHeader("Authorization"))) {
      rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"memgate\"");
      HttpReplies.error(rc.response(), 401, JsonRpc.SERVER_ERROR,
        "Unauthorized: send Authorization: Bearer <token> (the token is MEMGATE_MCP_TOKEN)");
      return;
    }
    rc.next();
  }

  private boolean authorized(String header) {
    // Constant time, so that the token cannot be found byte by byte from response times.
    return header != null && MessageDigest.isEqual(expectedAuthorization, header.getBytes(StandardCharsets.UTF_8));
  }
}
