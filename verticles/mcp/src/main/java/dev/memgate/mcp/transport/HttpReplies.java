package dev.memgate.mcp.transport;

import dev.memgate.edge.RefusalLog;
import dev.memgate.mcp.protocol.JsonRpc;
import dev.memgate.mcp.protocol.JsonRpcException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * Refusals at the HTTP level (bad origin, missing session, unsupported version...). The status tells HTTP clients
 * what happened; the body is a JSON-RPC error without an id, which is what MCP clients show to people. Each refusal
 * is logged as one short line through the shared, rate-limited {@link RefusalLog}, with a reason written here
 * (never text the client chose), so that no client can fill the log.
 */
final class HttpReplies {
  static final String JSON = "application/json";
  /** How long a client told 429 should wait before trying again, in seconds. */
  static final String RETRY_AFTER_SECONDS = "1";

  private HttpReplies() {
  }

  /**
   * @param reason  a few words for the log, fixed by the caller
   * @param message what the client is told
   */
  static void error(RoutingContext rc, int status, int code, String reason, String message) {
    if (rc.response().ended() || rc.response().closed()) {
      return;
    }
    logRefusal(rc, status, reason);
    send(rc, status, code, message);
  }

  /** The same answer, without a refusal line (for the server's own failures, which are logged as such). */
  static void send(RoutingContext rc, int status, int code, String message) {
    HttpServerResponse response = rc.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (status == 429 || status == 503) {
      response.putHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
    response.setStatusCode(status).putHeader("Content-Type", JSON);
    response.end(JsonRpc.error(null, code, message, null).encode());
  }

  static void error(RoutingContext rc, int status, JsonRpcException failure, String reason) {
    error(rc, status, failure.code(), reason, failure.getMessage());
  }

  /** A JSON-RPC error answering a request whose id could be read, with an HTTP status. */
  static void errorFor(RoutingContext rc, int status, JsonRpcException failure, String reason) {
    HttpServerResponse response = rc.response();
    if (response.ended() || response.closed()) {
      return;
    }
    logRefusal(rc, status, reason);
    response.setStatusCode(status).putHeader("Content-Type", JSON).end(JsonRpc.error(null, failure).encode());
  }

  static void logRefusal(RoutingContext rc, int status, String reason) {
    HttpServerRequest request = rc.request();
    RefusalLog.shared().refused("mcp", addressOf(request), request.method() + " " + request.path(), status, reason);
  }

  /** The client's IP address, which the per-address limits count against; "unknown" when there is none. */
  static String addressOf(HttpServerRequest request) {
    SocketAddress remote = request.remoteAddress();
    String host = remote == null ? null : remote.hostAddress();
    return host == null ? "unknown" : host;
  }

  /** Whether the request's body is declared JSON; if not, it has been refused with 415. */
  static boolean jsonBodyOrRefuse(RoutingContext rc) {
    if (MediaTypes.isJson(rc.request().getHeader("Content-Type"))) {
      return true;
    }
    error(rc, 415, JsonRpc.SERVER_ERROR, "not application/json", "Unsupported Media Type: POST a JSON-RPC message "
      + "as application/json");
    return false;
  }
}
