package dev.memgate.mcp.transport;

import dev.memgate.mcp.protocol.JsonRpc;
import dev.memgate.mcp.protocol.JsonRpcException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Refusals at the HTTP level (bad origin, missing session, unsupported version...). The status tells HTTP clients
 * what happened; the body is a JSON-RPC error without an id, which is what MCP clients show to people.
 */
final class HttpReplies {
  static final String JSON = "application/json";

  private HttpReplies() {
  }

  static void error(HttpServerResponse response, int status, int code, String message) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader("Content-Type", JSON);
    response.end(JsonRpc.error(null, code, message, null).encode());
  }

  /** Whether the request's body is declared JSON; if not, it has been refused with 415. */
  static boolean jsonBodyOrRefuse(RoutingContext rc) {
    if (MediaTypes.isJson(rc.request().getHeader("Content-Type"))) {
      return true;
    }
    error(rc.response(), 415, JsonRpc.SERVER_ERROR, "Unsupported Media Type: POST a JSON-RPC message as "
      + "application/json");
    return false;
  }

  static void error(HttpServerResponse response, int status, JsonRpcException failure) {
    error(response, status, failure.code(), failure.getMessage());
  }
}
