package dev.memgate.mcp.transport;

import dev.memgate.mcp.protocol.JsonRpc;
import dev.memgate.mcp.protocol.JsonRpcException;
import io.vertx.core.http.HttpServerResponse;

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

  static void error(HttpServerResponse response, int status, JsonRpcException failure) {
    error(response, status, failure.code(), failure.getMessage());
  }
}
