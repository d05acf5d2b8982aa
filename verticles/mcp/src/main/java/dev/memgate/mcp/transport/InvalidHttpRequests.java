package dev.memgate.mcp.transport;

import dev.memgate.edge.RefusalLog;
import dev.memgate.mcp.protocol.JsonRpc;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Requests the HTTP decoder could not read (a request line or headers over the limits, a request line that is not
 * HTTP): answered like every other refusal of this listener, with a JSON-RPC error body and one line in the refusal
 * log, instead of Vert.x's bare status. The connection is closed after: what follows on it cannot be trusted.
 */
public final class InvalidHttpRequests implements Handler<HttpServerRequest> {

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    String reason;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      reason = "request line too long";
      message = "URI Too Long: the request line is longer than the server reads";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      reason = "headers too large";
      message = "Request Header Fields Too Large: the headers are larger than the server reads";
    } else {
      status = 400;
      reason = "malformed HTTP request";
      message = "Bad Request: the request is not well-formed HTTP";
    }
    RefusalLog.shared().refused("mcp", HttpReplies.addressOf(request), "HTTP request", status, reason);
    HttpServerResponse response = request.response();
    response.setStatusCode(status).putHeader("Content-Type", HttpReplies.JSON).putHeader("Connection", "close")
      .end(JsonRpc.error(null, JsonRpc.SERVER_ERROR, message, null).encode())
      .onComplete(done -> request.connection().close());
  }
}
