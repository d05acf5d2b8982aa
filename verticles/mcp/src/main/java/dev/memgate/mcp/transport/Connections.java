package dev.memgate.mcp.transport;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Closing a connection now. Vert.x closes gracefully: it queues a last write (the WebSocket close frame, the end of
 * a response) and closes the socket once that write is out. A client that stopped reading never lets it out, so a
 * graceful close of its connection would wait forever, holding the socket and everything queued for it. These close
 * the channel itself, below Vert.x's own handler, dropping whatever is still queued.
 */
final class Connections {
  private Connections() {
  }

  static void abort(ServerWebSocket socket) {
    if (socket instanceof WebSocketInternal internal) {
      internal.channelHandlerContext().close();
    } else {
      socket.close();
    }
  }

  static void abort(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      base.channelHandlerContext().close();
    } else {
      connection.close();
    }
  }
}
