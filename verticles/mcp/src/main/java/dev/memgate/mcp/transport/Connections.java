package dev.memgate.mcp.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The socket under an HTTP connection (or the WebSocket it was upgraded to), for the two things Vert.x offers no
 * way to do. Closing now: Vert.x closes gracefully, queueing a last write (the WebSocket close frame, the end of a
 * response) and closing once it is out, and a client that stopped reading never lets it out, so a graceful close
 * would wait forever holding the socket and everything queued for it; {@link #abort} closes the channel itself,
 * below every handler, dropping what is queued. And seeing the WebSocket frame decoder's failures before Vert.x does
 * (see {@link FrameViolations}).
 */
final class Connections {
  /** What Vert.x names its own handler in the pipeline, before and after a WebSocket upgrade. */
  private static final String VERTX_HANDLER = "handler";

  private Connections() {
  }

  /** The Netty channel under the connection, or null when Vert.x does not show it. */
  static Channel channelOf(HttpConnection connection) {
    return connection instanceof ConnectionBase base ? base.channel() : null;
  }

  /** Vert.x's own handler on the channel, or null. */
  static ChannelHandlerContext vertxHandler(HttpConnection connection) {
    Channel channel = channelOf(connection);
    return channel == null ? null : channel.pipeline().context(VERTX_HANDLER);
  }

  /** Closes the socket now, dropping whatever is still queued for the client. */
  static void abort(HttpConnection connection) {
    Channel channel = channelOf(connection);
    ChannelHandlerContext first = channel == null ? null : channel.pipeline().firstContext();
    if (first != null) {
      // A close issued from the first handler goes straight to the socket: no handler can defer it.
      first.close();
    } else {
      connection.close();
    }
  }
}
