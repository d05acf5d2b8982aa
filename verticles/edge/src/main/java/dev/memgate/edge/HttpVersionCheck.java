package dev.memgate.edge;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpConnection;

/**
 * Reads the HTTP version of each HTTP/1 request line before Vert.x does. Netty accepts any {@code NAME/x.y}, and
 * Vert.x 5.0 answers every version but 1.0 and 1.1 with a bare 501 (a server error, and no problem body) before any
 * handler of ours sees the request. Here an HTTP/1 minor version above 1 is read as HTTP/1.1, as RFC 9112 (2.3)
 * asks (and {@code HTTP/1.01} as HTTP/1.1); anything else ({@code HTTP/2.0} or {@code FOO/1.1} in a request line,
 * which no real client sends) is marked as a request the decoder could not read, so that
 * each listener's {@code invalidRequestHandler} answers it with a 400 in the listener's own format.
 *
 * <p>It sits in the connection's Netty pipeline just before Vert.x's own handler, after the decoder and the h2c
 * upgrade check (which installs the HTTP/1 connection while it holds the first request, so a handler placed earlier
 * would miss that request); it touches nothing else.
 */
@ChannelHandler.Sharable
public final class HttpVersionCheck extends ChannelInboundHandlerAdapter {
  private static final HttpVersionCheck INSTANCE = new HttpVersionCheck();

  /** What the decoder result of a request in an unsupported version says. */
  public static final class UnsupportedVersion extends RuntimeException {
    UnsupportedVersion() {
      super("unsupported HTTP version", null, false, false);
    }
  }

  private HttpVersionCheck() {
  }

  /** For the server's connection handler: HTTP/2 connections have no request line and are left alone. */
  public static void install(HttpConnection connection) {
    ChannelHandlerContext vertx = VertxPipeline.vertxHandler(connection);
    if (vertx != null) {
      ChannelPipeline pipeline = vertx.pipeline();
      if (pipeline.get("httpDecoder") != null && pipeline.get(HttpVersionCheck.class) == null) {
        pipeline.addBefore(vertx.name(), "memgate-http-version", INSTANCE);
      }
    }
  }


  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
      HttpVersion version = request.protocolVersion();
      if (version != HttpVersion.HTTP_1_0 && version != HttpVersion.HTTP_1_1) {
        if ("HTTP".equals(version.protocolName()) && version.majorVersion() == 1) {
          request.setProtocolVersion(version.minorVersion() == 0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1);
        } else {
          // The reply's status line repeats the request's version: make it one the client can read.
          request.setProtocolVersion(HttpVersion.HTTP_1_1);
          request.setDecoderResult(DecoderResult.failure(new UnsupportedVersion()));
        }
      }
    }
    ctx.fireChannelRead(msg);
  }
}
