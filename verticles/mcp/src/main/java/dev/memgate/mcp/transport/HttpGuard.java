package dev.memgate.mcp.transport;

import dev.memgate.access.AccessDenied;
import dev.memgate.access.AuthenticatorChain;
import dev.memgate.access.Caller;
import dev.memgate.access.Credentials;
import dev.memgate.access.RefusalAudit;
import dev.memgate.edge.HostPolicy;
import dev.memgate.edge.OriginPolicy;
import dev.memgate.mcp.protocol.JsonRpc;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs first on every HTTP and WebSocket request. A {@code Host} the server does not answer to gets 400 (a page
 * that re-points its own name at this machine, DNS rebinding, still names its own host); a browser origin that is
 * not allowed gets 403, whatever else the request carries; and when a credential is configured, a request without
 * it gets 401. The credential is taken the ways the REST API takes its key: {@code Authorization: Bearer <key>},
 * mem0's {@code Authorization: Token <key>} or {@code X-API-Key: <key>}. Session ids never stand in for any of
 * these checks. Allowed browser origins also get CORS headers, so a web client on localhost can read
 * {@code Mcp-Session-Id}.
 */
final class HttpGuard implements Handler<RoutingContext> {
  private static final String ALLOWED_HEADERS = "Content-Type, Accept, Authorization, X-API-Key, Mcp-Session-Id, "
    + "Mcp-Protocol-Version, Last-Event-ID, X-Memgate-User";
  private static final String EXPOSED_HEADERS = "Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate";

  private final HostPolicy hosts;
  private final OriginPolicy origins;
  private final AuthenticatorChain authenticators;
  private final RefusalAudit refusals;

  /** @param authenticators who may call; {@link AuthenticatorChain#open()} when no credential is configured */
  HttpGuard(HostPolicy hosts, OriginPolicy origins, AuthenticatorChain authenticators, RefusalAudit refusals) {
    this.hosts = hosts;
    this.origins = origins;
    this.authenticators = authenticators;
    this.refusals = refusals;
  }

  @Override
  public void handle(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    if (!hosts.allows(hostOf(request))) {
      HttpReplies.error(rc, 400, JsonRpc.SERVER_ERROR, "host not allowed", "Bad Request: this server does not "
        + "answer to that Host (see mcp.allowed_hosts)");
      return;
    }
    String origin = request.getHeader("Origin");
    if (!origins.allows(origin)) {
      HttpReplies.error(rc, 403, JsonRpc.SERVER_ERROR, "origin not allowed", "Forbidden: origin " + origin
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
    // A key may need a lookup on the bus: the body stays unread until it is answered (the body handler resumes the
    // request; a WebSocket upgrade or an event stream has none to lose).
    boolean paused = !request.isEnded();
    if (paused) {
      request.pause();
    }
    String credential = Credentials.presented(request);
    authenticators.authenticate(credential).onComplete(done -> {
      if (done.succeeded()) {
        rc.put(Caller.CONTEXT_KEY, done.result());
        if (paused && request.method() != HttpMethod.POST) {
          request.resume();
        }
        rc.next();
        return;
      }
      if (credential != null) {
        refusals.refused(credential, request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
          done.cause().getMessage());
      }
      if (done.cause() instanceof AccessDenied denied && denied.status() == 403) {
        HttpReplies.error(rc, 403, JsonRpc.SERVER_ERROR, "forbidden", "Forbidden: " + denied.getMessage());
      } else {
        rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"memgate\"");
        HttpReplies.error(rc, 401, JsonRpc.SERVER_ERROR, "no valid credential", "Unauthorized: send "
          + "Authorization: Bearer <token> (MEMGATE_MCP_TOKEN, or the REST API key MEMGATE_API_KEY when no MCP "
          + "token is set)");
      }
    });
  }

  /** The Host header, or HTTP/2's authority; null when the request names no host. */
  private static String hostOf(HttpServerRequest request) {
    String host = request.getHeader("Host");
    if (host != null) {
      return host;
    }
    HostAndPort authority = request.authority();
    return authority == null ? null : authority.toString();
  }
}
