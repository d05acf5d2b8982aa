package dev.memgate.mcp.transport;

import dev.memgate.edge.VertxPipeline;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.HttpConnection;

/**
 * Closing the socket under an HTTP connection (or the WebSocket it was upgraded to) now, which Vert.x offers no way
 * to do: Vert.x closes gracefully, queueing a last write (the WebSocket close frame, the end of a response) and
 * closing once it is out, and a client that stopped reading never lets it out, so a graceful close would wait
 * forever holding the socket and everything queued for it; {@link #abort} closes the channel itself, below every
 * handler, dropping what is queued (through {@link VertxPipeline}, the one place that reaches below Vert.x).
 */
final class Connections {
  private Connections() {
  }

  /** Closes the socket now, dropping whatever is still queued for the client. */
  static void abort(HttpConnection connection) {
    Channel channel = VertxPipeline.channelOf(connection);
    ChannelHandlerContext first = channel == null ? null : channel.pipeline().firstContext();
    if (first != null) {
      // A close issued from the first handler goes straight to the socket: no handler can defer it.
      first.close();
    } else {
      connection.close();
    }
  }
}
