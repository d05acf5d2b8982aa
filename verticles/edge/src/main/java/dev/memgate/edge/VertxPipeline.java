package dev.memgate.edge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The one place that reaches below Vert.x's public API, into the Netty pipeline of an HTTP connection: handlers of
 * ours that must see what the decoders produce before Vert.x does (a bad HTTP version, a WebSocket frame the decoder
 * refuses), and closing a socket without waiting for writes that a client will never read. A Vert.x upgrade that
 * changes these internals is seen here, and by the tests of those handlers.
 */
public final class VertxPipeline {
  /** What Vert.x names its own handler, last in the pipeline, before and after a WebSocket upgrade. */
  public static final String VERTX_HANDLER = "handler";

  private VertxPipeline() {
  }

  /** The Netty channel under the connection, or null when Vert.x does not show it. */
  public static Channel channelOf(HttpConnection connection) {
    return connection instanceof ConnectionBase base ? base.channel() : null;
  }

  /** Vert.x's own handler on the connection's channel, or null. */
  public static ChannelHandlerContext vertxHandler(HttpConnection connection) {
    Channel channel = channelOf(connection);
    return channel == null ? null : channel.pipeline().context(VERTX_HANDLER);
  }
}
