package dev.memgate.mcp.transport;

import dev.memgate.mcp.protocol.CallerIdentity;
import dev.memgate.mcp.protocol.JsonRpc;
import dev.memgate.mcp.protocol.McpProtocol;
import dev.memgate.mcp.protocol.McpSession;
import dev.memgate.mcp.protocol.SessionLimitException;
import dev.memgate.mcp.protocol.SessionRegistry;
import dev.memgate.mcp.protocol.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;

/**
 * MCP over WebSocket on {@code /mcp/ws} (not in the spec; the shape the TypeScript SDK's client speaks): the
 * {@code mcp} subprotocol is selected during the handshake (the server options list it; the SDK client gives up
 * without it), each text message carries one JSON-RPC message, and the connection is the session. The Host,
 * Origin and credential checks run on the upgrade request like on every other. An upgrade that offers
 * subprotocols but not {@code mcp} is refused with 400 (RFC 6455 leaves the server no way to accept it: the client
 * would fail the connection), and one from an address that holds as many streams as it may with 429; one that
 * offers none is accepted. What happens on the socket is {@link WebSocketConnection}'s.
 */
final class WebSocketTransport {
  static final String SUBPROTOCOL = "mcp";
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketTransport.class);

  private final Vertx vertx;
  private final McpProtocol protocol;
  private final SessionRegistry sessions;
  private final int maxMessageBytes;
  private final WriteLimits limits;

  WebSocketTransport(Vertx vertx, McpProtocol protocol, SessionRegistry sessions, int maxMessageBytes,
                     WriteLimits limits) {
    this.vertx = vertx;
    this.protocol = protocol;
    this.sessions = sessions;
    this.maxMessageBytes = maxMessageBytes;
    this.limits = limits;
  }

  private static final String HANDSHAKE_VERSION = "13";

  /** A handshake key is 16 bytes, base64-encoded (RFC 6455, 4.1). */
  private static boolean validKey(String key) {
    if (key == null) {
      return false;
    }
    try {
      return java.util.Base64.getDecoder().decode(key.strip()).length == 16;
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
  }

  void upgrade(RoutingContext rc) {
    if (!"websocket".equalsIgnoreCase(rc.request().getHeader("Upgrade"))) {
      rc.response().putHeader("Upgrade", "websocket");
      HttpReplies.error(rc, 426, JsonRpc.SERVER_ERROR, "not a websocket upgrade", "Upgrade Required: this endpoint "
        + "speaks MCP over WebSocket (subprotocol mcp)");
      return;
    }
    if (!HANDSHAKE_VERSION.equals(rc.request().getHeader("Sec-WebSocket-Version"))) {
      // Vert.x would refuse it too, with an empty body: say it the way MCP clients read refusals.
      rc.response().putHeader("Sec-WebSocket-Version", HANDSHAKE_VERSION);
      HttpReplies.error(rc, 426, JsonRpc.SERVER_ERROR, "websocket version", "Upgrade Required: this server speaks "
        + "WebSocket version " + HANDSHAKE_VERSION + " (RFC 6455)");
      return;
    }
    if (!validKey(rc.request().getHeader("Sec-WebSocket-Key"))) {
      HttpReplies.error(rc, 400, JsonRpc.SERVER_ERROR, "websocket key", "Bad Request: Sec-WebSocket-Key must be "
        + "16 random bytes in base64 (RFC 6455)");
      return;
    }
    try {
      rc.request().params();
    } catch (IllegalArgumentException malformed) {
      HttpReplies.error(rc, 400, JsonRpc.SERVER_ERROR, "malformed query string", "Bad Request: the query string "
        + "is not valid percent-encoding");
      return;
    }
    List<String> offered = offeredSubprotocols(rc);
    if (!offered.isEmpty() && !offered.contains(SUBPROTOCOL)) {
      HttpReplies.error(rc, 400, JsonRpc.SERVER_ERROR, "unknown websocket subprotocol", "Bad Request: this endpoint "
        + "speaks the WebSocket subprotocol mcp, which the handshake does not offer");
      return;
    }
    CallerIdentity caller = RequestIdentity.orRefuse(rc);
    if (caller == null) {
      return;
    }
    String address = HttpReplies.addressOf(rc.request());
    try {
      sessions.checkAdmission(Transport.WEBSOCKET, caller, address);
    } catch (SessionLimitException e) {
      HttpReplies.error(rc, e.status(), JsonRpc.SERVER_ERROR, "stream limit", e.getMessage());
      return;
    }
    HttpConnection connection = rc.request().connection();
    rc.request().toWebSocket()
      .onSuccess(socket -> serve(socket, connection, caller, address))
      .onFailure(err -> LOG.debug("websocket handshake failed: {}", err.getMessage()));
  }

  /** Every subprotocol the handshake offers, over however many header lines. */
  private static List<String> offeredSubprotocols(RoutingContext rc) {
    return rc.request().headers().getAll("Sec-WebSocket-Protocol").stream()
      .flatMap(line -> Arrays.stream(line.split(",")))
      .map(String::strip)
      .filter(token -> !token.isEmpty())
      .toList();
  }

  private void serve(ServerWebSocket socket, HttpConnection connection, CallerIdentity caller, String address) {
    McpSession session;
    try {
      session = sessions.open(Transport.WEBSOCKET, caller, address);
    } catch (SessionLimitException e) {
      // Room ran out while the handshake was under way.
      socket.close((short) 1013, "too many sessions; try again later");
      return;
    }
    new WebSocketConnection(vertx, protocol, sessions, session, socket, connection, maxMessageBytes, limits, address)
      .start();
  }
}
