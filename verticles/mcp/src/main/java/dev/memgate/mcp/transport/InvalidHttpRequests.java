package dev.memgate.mcp.transport;

import dev.memgate.edge.RefusalLog;
import dev.memgate.edge.UnreadableRequest;
import dev.memgate.mcp.protocol.JsonRpc;
import io.netty.handler.codec.http.HttpResponseStatus;
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
    UnreadableRequest unreadable = UnreadableRequest.of(request);
    int status = unreadable.status();
    String reason = unreadable.reason();
    String message = HttpResponseStatus.valueOf(status).reasonPhrase() + ": " + unreadable.detail();
    RefusalLog.shared().refused("mcp", HttpReplies.addressOf(request), "HTTP request", status, reason);
    HttpServerResponse response = request.response();
    response.setStatusCode(status).putHeader("Content-Type", HttpReplies.JSON).putHeader("Connection", "close")
      .end(JsonRpc.error(null, JsonRpc.SERVER_ERROR, message, null).encode())
      .onComplete(done -> request.connection().close());
  }
}
