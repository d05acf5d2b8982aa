package dev.memgate.mcp.transport;

import dev.memgate.mcp.protocol.CallerIdentity;
import dev.memgate.mcp.protocol.Incoming;
import dev.memgate.mcp.protocol.JsonRpc;
import dev.memgate.mcp.protocol.JsonRpcException;
import dev.memgate.mcp.protocol.McpProtocol;
import dev.memgate.mcp.protocol.McpSession;
import dev.memgate.mcp.protocol.SessionRegistry;
import dev.memgate.mcp.protocol.Transport;
import io.vertx.core.Vertx;
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
 */
final class LegacySseTransport {
  private static final Logger LOG = LoggerFactory.getLogger(LegacySseTransport.class);

  private final Vertx vertx;
  private final McpProtocol protocol;
  private final SessionRegistry sessions;
  /** The open event streams by session id: where each session's replies go. */
  private final Map<String, SseStream> streams = new HashMap<>();

  LegacySseTransport(Vertx vertx, McpProtocol protocol, SessionRegistry sessions) {
    this.vertx = vertx;
    this.protocol = protocol;
    this.sessions = sessions;
  }

  /** GET: opens the stream; {@code messagesPath} is where this stream's client must POST. */
  void open(RoutingContext rc, String messagesPath, String sessionParameter) {
    HttpServerResponse response = rc.response();
    if (!MediaTypes.acceptsEventStream(rc.request().getHeader("Accept"))) {
      HttpReplies.error(response, 406, JsonRpc.SERVER_ERROR, "Not Acceptable: this endpoint is an event stream "
        + "(Accept: text/event-stream)");
      return;
    }
    CallerIdentity caller = RequestIdentity.orRefuse(rc);
    if (caller == null) {
      return;
    }
    if (sessions.full()) {
      HttpReplies.error(response, 503, JsonRpc.SERVER_ERROR, "Service Unavailable: too many open sessions");
      return;
    }
    McpSession session = sessions.open(Transport.LEGACY_SSE, caller);
    SseStream stream = new SseStream(vertx, response).start(true);
    streams.put(session.id(), stream);
    session.onClose(() -> {
      streams.remove(session.id());
      stream.end();
    });
    response.closeHandler(closed -> {
      stream.stopKeepAlive();
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
    String sessionId = rc.request().getParam("sessionId");
    if (sessionId == null) {
      sessionId = rc.request().getParam("session_id");
    }
    if (sessionId == null) {
      HttpReplies.error(response, 400, JsonRpc.SERVER_ERROR, "Bad Request: the sessionId query parameter is "
        + "required (the endpoint event of the event stream gives the full URL)");
      return;
    }
    McpSession session = sessions.find(sessionId);
    SseStream stream = streams.get(sessionId);
    if (session == null || stream == null || session.transport() != Transport.LEGACY_SSE
      || !RequestIdentity.fits(caller, session)) {
      HttpReplies.error(response, 404, JsonRpc.SERVER_ERROR, "Session not found: open a new event stream");
      return;
    }
    Incoming incoming;
    try {
      incoming = protocol.decode(rc.body().asString(), session);
    } catch (JsonRpcException e) {
      HttpReplies.error(response, 400, e);
      return;
    }
    response.setStatusCode(202).end("Accepted");
    protocol.answer(session, incoming).onSuccess(reply -> {
      if (reply != null) {
        stream.event("message", reply);
      }
    });
  }
}
