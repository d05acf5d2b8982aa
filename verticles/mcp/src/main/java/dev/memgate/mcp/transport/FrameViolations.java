package dev.memgate.mcp.transport;

import dev.memgate.edge.RefusalLog;
import dev.memgate.edge.VertxPipeline;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.http.HttpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Frames the WebSocket decoder refuses (a frame over the size limit, reserved bits without a negotiated extension,
 * an unmasked frame, broken fragmentation...) end the connection the way RFC 6455 says: with a close frame whose
 * code says why (1009 for size, 1002 for the protocol). Vert.x itself would cut the connection without a word, so
 * this handler sits between the decoder and Vert.x and takes those failures first. If the close frame cannot get
 * out (a client that does not read), the connection is cut after a moment anyway.
 */
final class FrameViolations extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(FrameViolations.class);
  private static final String NAME = "memgate-ws-frame-violations";
  private static final long CLOSE_GRACE_MS = 1_000;

  private final int maxFrameBytes;
  private final String address;
  private boolean closing;

  private FrameViolations(int maxFrameBytes, String address) {
    this.maxFrameBytes = maxFrameBytes;
    this.address = address;
  }

  /** Puts the handler in front of Vert.x's own on the channel of this (upgraded) connection. */
  static void install(HttpConnection connection, int maxFrameBytes, String address) {
    ChannelHandlerContext vertxHandler = VertxPipeline.vertxHandler(connection);
    if (vertxHandler != null && vertxHandler.pipeline().get(NAME) == null) {
      vertxHandler.pipeline().addBefore(vertxHandler.name(), NAME, new FrameViolations(maxFrameBytes, address));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof CorruptedWebSocketFrameException corrupted)) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    if (closing) {
      return;
    }
    closing = true;
    WebSocketCloseStatus status = corrupted.closeStatus() == null ? WebSocketCloseStatus.PROTOCOL_ERROR
      : corrupted.closeStatus();
    String reason = status.code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()
      ? "frame larger than " + maxFrameBytes + " bytes (mcp.max_message_bytes)"
      : status.code() == WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code() ? "invalid frame payload"
      : "WebSocket protocol error";
    RefusalLog.shared().refused("mcp", address, "websocket frame", status.code(), reason);
    LOG.debug("websocket frame refused: {}", corrupted.getMessage());
    // Written and closed from here, below Vert.x: the frame passes the encoder, and Vert.x adds no close of its own.
    // Then only the sending side is shut: a client may still be writing the rest of a large frame, and closing the
    // socket with its bytes unread would reset the connection and lose the close frame on the client's side. The
    // decoder discards whatever else arrives; the client's own close (or the grace period) ends the connection.
    ctx.writeAndFlush(new CloseWebSocketFrame(status.code(), reason)).addListener(written -> {
      if (ctx.channel() instanceof DuplexChannel duplex) {
        duplex.shutdownOutput();
      } else {
        ctx.close();
      }
    });
    ctx.executor().schedule(() -> {
      if (ctx.channel().isOpen()) {
        ctx.close();
      }
    }, CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
  }
}
