package dev.memgate.mcp.transport;

import dev.memgate.mcp.protocol.CallerIdentity;
import dev.memgate.mcp.protocol.Incoming;
import dev.memgate.mcp.protocol.JsonRpc;
import dev.memgate.mcp.protocol.JsonRpcException;
import dev.memgate.mcp.protocol.McpProtocol;
import dev.memgate.mcp.protocol.McpSession;
import dev.memgate.mcp.protocol.ProtocolVersions;
import dev.memgate.mcp.protocol.SessionLimitException;
import dev.memgate.mcp.protocol.SessionRegistry;
import dev.memgate.mcp.protocol.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Streamable HTTP (MCP 2025-03-26 and later) on {@code /mcp}, and on OpenMemory's
 * {@code /mcp/{client_name}/http/{user_id}}. A POST carries one message (or, in 2025-03-26, a batch): requests are
 * answered in the response, as JSON, or as an event stream for a client that accepts only that; notifications get
 * 202. initialize opens a session whose id comes back in {@code Mcp-Session-Id}; every later request must carry it
 * (400 without, 404 when unknown or ended) and a supported {@code MCP-Protocol-Version} (400 otherwise). DELETE
 * ends a session. GET answers 405: this server sends nothing on its own, so a standing stream would carry nothing.
 *
 * <p>A session answers at most {@code mcp.max_in_flight} messages at once; a POST beyond that gets 429 with
 * {@code Retry-After}, so that a client cannot pile up work for the server (each POST holds its own connection,
 * and HTTP/1.1 answers one request of a connection at a time, so nothing else queues without bound).
 */
final class StreamableHttpTransport {
  static final String SESSION_HEADER = "Mcp-Session-Id";
  static final String VERSION_HEADER = "MCP-Protocol-Version";

  private final Vertx vertx;
  private final McpProtocol protocol;
  private final SessionRegistry sessions;
  private final ProtectedResource resource;

  StreamableHttpTransport(Vertx vertx, McpProtocol protocol, SessionRegistry sessions, ProtectedResource resource) {
    this.vertx = vertx;
    this.protocol = protocol;
    this.sessions = sessions;
    this.resource = resource;
  }

  void post(RoutingContext rc) {
    HttpServerResponse response = rc.response();
    if (!HttpReplies.jsonBodyOrRefuse(rc)) {
      return;
    }
    String accept = rc.request().getHeader("Accept");
    boolean json = MediaTypes.acceptsJson(accept);
    if (!json && !MediaTypes.acceptsEventStream(accept)) {
      HttpReplies.error(rc, 406, JsonRpc.SERVER_ERROR, "not acceptable", "Not Acceptable: accept application/json "
        + "or text/event-stream");
      return;
    }
    if (!versionHeaderSupported(rc)) {
      return;
    }
    CallerIdentity caller = RequestIdentity.orRefuse(rc);
    if (caller == null) {
      return;
    }
    String sessionId = rc.request().getHeader(SESSION_HEADER);
    McpSession existing = sessions.find(sessionId);
    Incoming incoming;
    try {
      incoming = protocol.decode(rc.body().asString(), existing);
    } catch (JsonRpcException e) {
      HttpReplies.error(rc, 400, e, "malformed message");
      return;
    }
    if (!incoming.batch()) {
      try {
        JsonRpc.checkEnvelope(incoming.items().get(0));
      } catch (JsonRpcException e) {
        HttpReplies.errorFor(rc, 400, e, "invalid JSON-RPC message");
        return;
      }
    }
    if (incoming.containsInitialize()) {
      initialize(rc, incoming, caller, json);
      return;
    }
    if (sessionId == null) {
      HttpReplies.error(rc, 400, JsonRpc.SERVER_ERROR, "no session id", "Bad Request: the " + SESSION_HEADER
        + " header is required (send initialize first to get one)");
      return;
    }
    McpSession session = existing;
    if (session == null || session.transport() != Transport.STREAMABLE_HTTP || !RequestIdentity.fits(caller, session)) {
      HttpReplies.error(rc, 404, JsonRpc.SERVER_ERROR, "unknown session", "Session not found: it ended or expired; "
        + "send initialize to start a new one");
      return;
    }
    if (!incoming.expectsReply()) {
      protocol.dispatch(session, incoming).onComplete(done -> {
        if (!response.closed()) {
          response.setStatusCode(202).end();
        }
      });
      return;
    }
    if (session.saturated()) {
      HttpReplies.error(rc, 429, JsonRpc.SERVER_ERROR, "too many requests in flight", "Too Many Requests: this "
        + "session is already answering " + session.maxInFlight() + " requests (mcp.max_in_flight); send this one "
        + "once an answer has arrived");
      return;
    }
    session.messageArrived();
    protocol.dispatch(session, incoming).onComplete(done -> {
      session.messageAnswered();
      if (done.succeeded()) {
        reply(rc, done.result(), incoming.batch(), json);
      }
    });
  }

  private void initialize(RoutingContext rc, Incoming incoming, CallerIdentity caller, boolean json) {
    if (!incoming.isInitialize()) {
      HttpReplies.error(rc, 400, JsonRpc.INVALID_REQUEST, "batched initialize", "initialize must be sent on its "
        + "own");
      return;
    }
    McpSession session;
    try {
      session = sessions.open(Transport.STREAMABLE_HTTP, caller, HttpReplies.addressOf(rc.request()));
    } catch (SessionLimitException e) {
      HttpReplies.error(rc, e.status(), JsonRpc.SERVER_ERROR, "session limit", e.getMessage());
      return;
    }
    protocol.dispatch(session, incoming).onSuccess(answers -> {
      if (session.initialized()) {
        rc.response().putHeader(SESSION_HEADER, session.id());
      } else {
        // A refused initialize leaves nothing behind.
        sessions.close(session.id());
      }
      reply(rc, answers, false, json);
    });
  }

  private boolean versionHeaderSupported(RoutingContext rc) {
    String version = rc.request().getHeader(VERSION_HEADER);
    if (version == null || ProtocolVersions.STREAMABLE_HTTP.contains(version.strip())) {
      return true;
    }
    HttpReplies.error(rc, 400, JsonRpc.SERVER_ERROR, "unsupported protocol version", "Bad Request: unsupported "
      + VERSION_HEADER + " " + version + " (supported: " + String.join(", ", ProtocolVersions.STREAMABLE_HTTP) + ")");
    return false;
  }

  private void reply(RoutingContext rc, List<JsonObject> answers, boolean batch, boolean json) {
    HttpServerResponse response = rc.response();
    if (response.closed()) {
      return;
    }
    JsonObject forbidden = batch || answers.size() != 1 ? null : JsonRpc.errorOf(answers.get(0), JsonRpc.FORBIDDEN);
    if (forbidden != null) {
      // Refused for who the caller is, not for what it sent: HTTP says so too, and a missing scope says which one
      // (MCP's step-up authorization: the client may ask its authorization server for it).
      if (forbidden.getValue("data") instanceof JsonObject data
        && data.getValue(JsonRpc.REQUIRED_SCOPE) instanceof String scope) {
        response.putHeader("WWW-Authenticate", resource.insufficientScopeChallenge(scope));
      }
      HttpReplies.logRefusal(rc, 403, "forbidden");
      response.setStatusCode(403).putHeader("Content-Type", HttpReplies.JSON).end(answers.get(0).encode());
      return;
    }
    if (json) {
      String body = batch ? new JsonArray(new ArrayList<>(answers)).encode() : answers.get(0).encode();
      response.setStatusCode(200).putHeader("Content-Type", HttpReplies.JSON).end(body);
      return;
    }
    SseStream stream = new SseStream(vertx, response).start(false);
    answers.forEach(answer -> stream.event("message", answer.encode()));
    stream.end();
  }

  void get(RoutingContext rc) {
    rc.response().putHeader("Allow", "POST, DELETE");
    HttpReplies.error(rc, 405, JsonRpc.SERVER_ERROR, "no standing stream", "Method Not Allowed: this server sends no "
      + "messages of its own, so it offers no standing event stream; POST requests instead");
  }

  void delete(RoutingContext rc) {
    if (!versionHeaderSupported(rc)) {
      return;
    }
    CallerIdentity caller = RequestIdentity.orRefuse(rc);
    if (caller == null) {
      return;
    }
    String sessionId = rc.request().getHeader(SESSION_HEADER);
    if (sessionId == null) {
      HttpReplies.error(rc, 400, JsonRpc.SERVER_ERROR, "no session id", "Bad Request: the " + SESSION_HEADER
        + " header names the session to end");
      return;
    }
    McpSession session = sessions.find(sessionId);
    if (session == null || session.transport() != Transport.STREAMABLE_HTTP || !RequestIdentity.fits(caller, session)) {
      HttpReplies.error(rc, 404, JsonRpc.SERVER_ERROR, "unknown session", "Session not found");
      return;
    }
    sessions.close(sessionId);
    rc.response().setStatusCode(200).end();
  }
}
