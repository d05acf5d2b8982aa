package dev.memgate.mcp.transport;

import dev.memgate.mcp.protocol.CallerIdentity;
import dev.memgate.mcp.protocol.Incoming;
import dev.memgate.mcp.protocol.JsonRpc;
import dev.memgate.mcp.protocol.JsonRpcException;
import dev.memgate.mcp.protocol.McpProtocol;
import dev.memgate.edge.RefusalLog;
import dev.memgate.mcp.protocol.McpSession;
import dev.memgate.mcp.protocol.SessionLimitException;
import dev.memgate.mcp.protocol.SessionRegistry;
import dev.memgate.mcp.protocol.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * The HTTP+SSE transport of MCP 2024-11-05, which older clients and OpenMemory set-ups still use. A GET opens an
 * event stream whose first event, {@code endpoint}, names the URL to POST messages to; each POST is answered 202 and
 * its reply travels on the stream as a {@code message} event. The session lives as long as the stream.
 *
 * <p>Served on {@code GET /sse} (messages to {@code /messages?sessionId=...}) and on OpenMemory's
 * {@code GET /mcp/{client_name}/sse/{user_id}} (messages to that path plus {@code /messages/?session_id=...}, or to
 * {@code /mcp/messages/}), where the path names the user and the client app.
 *
 * <p>Flow control: a POST to a session that already has {@code mcp.max_in_flight} messages unanswered, or whose
 * stream has more queued than the client reads, gets 429 with {@code Retry-After}; a stream whose queue stays full
 * for {@code mcp.slow_client_timeout_ms} is cut and its session ends. One address may hold at most
 * {@code mcp.max_streams_per_address} streams (429 past it).
 */
final class LegacySseTransport {
  private static final Logger LOG = LoggerFactory.getLogger(LegacySseTransport.class);

  private final Vertx vertx;
  private final McpProtocol protocol;
  private final SessionRegistry sessions;
  private final WriteLimits limits;
  /** The open event streams by session id: where each session's replies go. */
  private final Map<String, SseStream> streams = new HashMap<>();

  LegacySseTransport(Vertx vertx, McpProtocol protocol, SessionRegistry sessions, WriteLimits limits) {
    this.vertx = vertx;
    this.protocol = protocol;
    this.sessions = sessions;
    this.limits = limits;
  }

  /** GET: opens the stream; {@code messagesPath} is where this stream's client must POST. */
  void open(RoutingContext rc, String messagesPath, String sessionParameter) {
    HttpServerResponse response = rc.response();
    if (!MediaTypes.acceptsEventStream(rc.request().getHeader("Accept"))) {
      HttpReplies.error(rc, 406, JsonRpc.SERVER_ERROR, "not acceptable", "Not Acceptable: this endpoint is an event "
        + "stream (Accept: text/event-stream)");
      return;
    }
    CallerIdentity caller = RequestIdentity.orRefuse(rc);
    if (caller == null) {
      return;
    }
    String address = HttpReplies.addressOf(rc.request());
    McpSession session;
    try {
      session = sessions.open(Transport.LEGACY_SSE, caller, address);
    } catch (SessionLimitException e) {
      HttpReplies.error(rc, e.status(), JsonRpc.SERVER_ERROR, "stream limit", e.getMessage());
      return;
    }
    HttpConnection connection = rc.request().connection();
    SseStream stream = new SseStream(vertx, response).start(true).watch(limits, () -> {
      RefusalLog.shared().refused("mcp", address, "event stream", 429, "client does not read its stream");
      sessions.close(session.id());
      Connections.abort(connection);
    });
    streams.put(session.id(), stream);
    session.onClose(() -> {
      streams.remove(session.id());
      stream.end();
    });
    response.closeHandler(closed -> {
      stream.stopTimers();
      sessions.close(session.id());
      LOG.debug("sse session {} closed by the client", session.id());
    });
    stream.event("endpoint", messagesPath + "?" + sessionParameter + "=" + session.id());
  }

  /** POST: one message for the session named in the query string; its answer goes out on that session's stream. */
  void post(RoutingContext rc) {
    HttpServerResponse response = rc.response();
    if (!HttpReplies.jsonBodyOrRefuse(rc)) {
      return;
    }
    CallerIdentity caller = RequestIdentity.orRefuse(rc);
    if (caller == null) {
      return;
    }
    String sessionId;
    try {
      sessionId = rc.request().getParam("sessionId");
      if (sessionId == null) {
        sessionId = rc.request().getParam("session_id");
      }
    } catch (IllegalArgumentException malformed) {
      HttpReplies.error(rc, 400, JsonRpc.SERVER_ERROR, "malformed query string", "Bad Request: the query string "
        + "is not valid percent-encoding");
      return;
    }
    if (sessionId == null) {
      HttpReplies.error(rc, 400, JsonRpc.SERVER_ERROR, "no session id", "Bad Request: the sessionId query "
        + "parameter is required (the endpoint event of the event stream gives the full URL)");
      return;
    }
    McpSession session = sessions.find(sessionId);
    SseStream stream = streams.get(sessionId);
    if (session == null || stream == null || session.transport() != Transport.LEGACY_SSE
      || !RequestIdentity.fits(caller, session)) {
      HttpReplies.error(rc, 404, JsonRpc.SERVER_ERROR, "unknown session", "Session not found: open a new event "
        + "stream");
      return;
    }
    if (session.saturated() || stream.full()) {
      HttpReplies.error(rc, 429, JsonRpc.SERVER_ERROR, "client behind on its stream", "Too Many Requests: this "
        + "session already has " + (session.saturated() ? session.maxInFlight() + " requests unanswered "
        + "(mcp.max_in_flight)" : "more answers queued than its event stream has read (mcp.max_queued_bytes)")
        + "; send this one once answers have arrived");
      return;
    }
    Incoming incoming;
    try {
      incoming = protocol.decode(rc.body().asString(), session);
    } catch (JsonRpcException e) {
      HttpReplies.error(rc, 400, e, "malformed message");
      return;
    }
    response.setStatusCode(202).end("Accepted");
    session.messageArrived();
    protocol.answer(session, incoming).onComplete(done -> {
      session.messageAnswered();
      if (done.succeeded() && done.result() != null) {
        stream.event("message", done.result());
      }
    });
  }
}
