package dev.memgate.mcp.transport;

import dev.memgate.mcp.protocol.CallerIdentity;
import dev.memgate.mcp.protocol.JsonRpc;
import dev.memgate.mcp.protocol.McpProtocol;
import dev.memgate.mcp.protocol.McpSession;
import dev.memgate.mcp.protocol.SessionRegistry;
import dev.memgate.mcp.protocol.Transport;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * MCP over WebSocket on {@code /mcp/ws} (not in the spec; the shape the TypeScript SDK's client speaks): the
 * {@code mcp} subprotocol is selected during the handshake (the server options list it; the SDK client gives up
 * without it), each text frame carries one JSON-RPC message, and the connection is the session. The Origin and
 * token checks run on the upgrade request like on every other; a message over the size limit closes the socket
 * with 1009, a binary frame with 1003.
 */
final class WebSocketTransport {
  static final String SUBPROTOCOL = "mcp";
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketTransport.class);

  private final McpProtocol protocol;
  private final SessionRegistry sessions;
  private final int maxMessageBytes;

  WebSocketTransport(McpProtocol protocol, SessionRegistry sessions, int maxMessageBytes) {
    this.protocol = protocol;
    this.sessions = sessions;
    this.maxMessageBytes = maxMessageBytes;
  }

  void upgrade(RoutingContext rc) {
    if (!"websocket".equalsIgnoreCase(rc.request().getHeader("Upgrade"))) {
      rc.response().putHeader("Upgrade", "websocket");
      HttpReplies.error(rc.response(), 426, JsonRpc.SERVER_ERROR, "Upgrade Required: this endpoint speaks MCP over "
        + "WebSocket (subprotocol mcp)");
      return;
    }
    CallerIdentity caller = RequestIdentity.orRefuse(rc);
    if (caller == null) {
      return;
    }
    if (sessions.full()) {
      HttpReplies.error(rc.response(), 503, JsonRpc.SERVER_ERROR, "Service Unavailable: too many open sessions");
      return;
    }
    rc.request().toWebSocket()
      .onSuccess(socket -> serve(socket, caller))
      .onFailure(err -> LOG.debug("websocket handshake failed: {}", err.getMessage()));
  }

  private void serve(ServerWebSocket socket, CallerIdentity caller) {
    McpSession session = sessions.open(Transport.WEBSOCKET, caller);
    session.onClose(() -> {
      if (!socket.isClosed()) {
        socket.close((short) 1000, "session ended");
      }
    });
    socket.closeHandler(closed -> sessions.close(session.id()));
    socket.exceptionHandler(err -> LOG.debug("websocket session {}: {}", session.id(), err.getMessage()));
    // Frames are put together here rather than by Vert.x, whose message limit only raises an exception: a message
    // over the limit must end the connection the way the WebSocket spec says (1009).
    Buffer[] message = {Buffer.buffer()};
    socket.frameHandler(frame -> {
      if (socket.isClosed()) {
        return;
      }
      if (frame.isBinary()) {
        socket.close((short) 1003, "MCP messages are JSON in text frames");
        return;
      }
      if (!frame.isText() && !frame.isContinuation()) {
        return;
      }
      if (message[0].length() + frame.binaryData().length() > maxMessageBytes) {
        socket.close((short) 1009, "message larger than " + maxMessageBytes + " bytes (mcp.max_message_bytes)");
        return;
      }
      message[0].appendBuffer(frame.binaryData());
      if (frame.isFinal()) {
        String text = message[0].toString(StandardCharsets.UTF_8);
        message[0] = Buffer.buffer();
        protocol.handleText(session, text).onSuccess(reply -> {
          if (reply != null && !socket.isClosed()) {
            socket.writeTextMessage(reply);
          }
        });
      }
    });
  }
}
