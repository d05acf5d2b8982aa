package dev.memgate.mcp.transport;

import dev.memgate.edge.RefusalLog;
import dev.memgate.mcp.protocol.McpProtocol;
import dev.memgate.mcp.protocol.McpSession;
import dev.memgate.mcp.protocol.SessionRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * One WebSocket and the session it carries. Each text message (possibly split over frames) is one JSON-RPC message;
 * its answer goes back as a text message.
 *
 * <p>Flow control, so that no client can make the server buffer without limit: while {@code mcp.max_in_flight}
 * messages wait for their answers, or while more than {@code mcp.max_queued_bytes} of answers wait for the client
 * to read them, nothing more is read from the socket (the client's own writes then wait). A client whose queue
 * stays full for {@code mcp.slow_client_timeout_ms} is disconnected (1008) and its session ends.
 *
 * <p>RFC 6455: a binary frame closes with 1003, a message that is not valid UTF-8 with 1007, a message over
 * {@code mcp.max_message_bytes} with 1009 (a single frame over it is caught by the frame decoder, see
 * {@link FrameViolations}). The socket is pinged every so often, so that idle timeouts on the way leave it open and
 * a peer that has gone without a word is noticed: one that answered no ping by the next is let go.
 */
final class WebSocketConnection {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnection.class);
  /** How long a closing socket may take to send its close frame before it is cut. */
  private static final long CLOSE_GRACE_MS = 1_000;
  private static final Buffer PING = Buffer.buffer("memgate");

  private final Vertx vertx;
  private final McpProtocol protocol;
  private final SessionRegistry sessions;
  private final McpSession session;
  private final ServerWebSocket socket;
  /** The connection the socket was upgraded from, whose channel carries the socket. */
  private final HttpConnection connection;
  private final int maxMessageBytes;
  private final WriteLimits limits;
  private final String address;

  private Buffer message = Buffer.buffer();
  private boolean paused;
  private boolean closing;
  private boolean closed;
  private boolean heardSincePing = true;
  private long slowClientTimer = -1;
  private long pingTimer = -1;

  WebSocketConnection(Vertx vertx, McpProtocol protocol, SessionRegistry sessions, McpSession session,
                      ServerWebSocket socket, HttpConnection connection, int maxMessageBytes, WriteLimits limits,
                      String address) {
    this.vertx = vertx;
    this.protocol = protocol;
    this.sessions = sessions;
    this.session = session;
    this.socket = socket;
    this.connection = connection;
    this.maxMessageBytes = maxMessageBytes;
    this.limits = limits;
    this.address = address;
  }

  void start() {
    socket.setWriteQueueMaxSize(limits.maxQueuedBytes());
    FrameViolations.install(connection, maxMessageBytes, address);
    session.onClose(() -> close((short) 1000, "session ended"));
    socket.closeHandler(v -> {
      closed = true;
      cancelTimers();
      sessions.close(session.id());
    });
    socket.exceptionHandler(err -> LOG.debug("websocket session {}: {}", session.id(), err.getMessage()));
    socket.drainHandler(v -> adjustFlow());
    socket.pongHandler(data -> heardSincePing = true);
    socket.frameHandler(this::frame);
    pingTimer = vertx.setPeriodic(limits.pingIntervalMillis(), id -> ping());
  }

  private void frame(WebSocketFrame frame) {
    if (closing || closed) {
      return;
    }
    heardSincePing = true;
    if (frame.isBinary()) {
      refuse((short) 1003, "MCP messages are JSON in text frames");
      return;
    }
    if (!frame.isText() && !frame.isContinuation()) {
      return;
    }
    if (message.length() + frame.binaryData().length() > maxMessageBytes) {
      refuse((short) 1009, "message larger than " + maxMessageBytes + " bytes (mcp.max_message_bytes)");
      return;
    }
    message.appendBuffer(frame.binaryData());
    if (!frame.isFinal()) {
      return;
    }
    Buffer complete = message;
    message = Buffer.buffer();
    String text = strictUtf8(complete);
    if (text == null) {
      refuse((short) 1007, "text messages must be valid UTF-8");
      return;
    }
    answer(text);
  }

  private void answer(String text) {
    session.messageArrived();
    adjustFlow();
    protocol.handleText(session, text).onComplete(done -> {
      session.messageAnswered();
      if (done.succeeded() && done.result() != null && !ended()) {
        socket.writeTextMessage(done.result());
      }
      adjustFlow();
    });
  }

  /**
   * Reads on only while the session has room for another request and the client keeps up with its answers; and
   * watches how long a full queue stays full.
   */
  private void adjustFlow() {
    if (ended()) {
      return;
    }
    boolean queueFull = socket.writeQueueFull();
    if (queueFull && slowClientTimer == -1) {
      slowClientTimer = vertx.setTimer(limits.slowClientMillis(), id -> {
        slowClientTimer = -1;
        if (!ended() && socket.writeQueueFull()) {
          refuse((short) 1008, "the client does not read its replies (mcp.slow_client_timeout_ms)");
        }
      });
    } else if (!queueFull && slowClientTimer != -1) {
      vertx.cancelTimer(slowClientTimer);
      slowClientTimer = -1;
    }
    boolean hold = queueFull || session.saturated();
    if (hold && !paused) {
      paused = true;
      socket.pause();
    } else if (!hold && paused) {
      paused = false;
      socket.resume();
    }
  }

  private void ping() {
    if (ended()) {
      return;
    }
    if (paused) {
      // While this side does not read, no answer to a ping can arrive: judge the peer only once reading again (a
      // peer whose queue stays full is the slow-client timer's).
      heardSincePing = true;
      return;
    }
    if (!heardSincePing) {
      LOG.debug("websocket session {}: no answer to a ping; closing", session.id());
      close((short) 1001, "no answer to ping");
      return;
    }
    heardSincePing = false;
    if (!socket.writeQueueFull()) {
      socket.writePing(PING);
    }
  }

  /** A close the client caused: one line in the refusal log, then the close. */
  private void refuse(short code, String reason) {
    RefusalLog.shared().refused("mcp", address, "websocket message", code, reason);
    close(code, reason);
  }

  /** Sends the close frame, and cuts the connection if that frame cannot get out in time. */
  private void close(short code, String reason) {
    if (closing || closed) {
      return;
    }
    closing = true;
    cancelTimers();
    socket.close(code, reason);
    vertx.setTimer(CLOSE_GRACE_MS, id -> {
      if (!closed) {
        Connections.abort(connection);
      }
    });
  }

  /** True once either side began to close (a close frame from the client also counts). */
  private boolean ended() {
    return closing || closed || socket.isClosed();
  }

  private void cancelTimers() {
    if (slowClientTimer != -1) {
      vertx.cancelTimer(slowClientTimer);
      slowClientTimer = -1;
    }
    if (pingTimer != -1) {
      vertx.cancelTimer(pingTimer);
      pingTimer = -1;
    }
  }

  /** The text, or null when the bytes are not valid UTF-8 (which a lenient decoder would silently replace). */
  private static String strictUtf8(Buffer bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes.getBytes()))
        .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
