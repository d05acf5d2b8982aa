package dev.memgate.mcp.transport;

import dev.memgate.access.Authenticator;
import dev.memgate.access.AuthenticatorChain;
import dev.memgate.access.BootstrapKey;
import dev.memgate.access.RefusalAudit;
import dev.memgate.access.keys.StoredKeys;
import dev.memgate.edge.HostPolicy;
import dev.memgate.edge.OriginPolicy;
import dev.memgate.mcp.McpConfig;
import dev.memgate.mcp.protocol.JsonRpc;
import dev.memgate.mcp.protocol.McpProtocol;
import dev.memgate.mcp.protocol.SessionRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.IntSupplier;

/**
 * Every MCP HTTP endpoint on one router. The guard (Host, Origin, credential) runs first on every request, then
 * the body limit on POSTs, then the transport. Every refusal is a JSON-RPC error body with an HTTP status, logged as
 * one short line. Paths:
 * <ul>
 *   <li>{@code /mcp}: Streamable HTTP (POST, DELETE; GET answers 405)</li>
 *   <li>{@code /mcp/ws}: WebSocket, subprotocol {@code mcp}</li>
 *   <li>{@code /sse} + {@code /messages}: legacy HTTP+SSE</li>
 *   <li>OpenMemory's {@code /mcp/{client_name}/sse/{user_id}} (+ {@code .../messages/} or {@code /mcp/messages/}),
 *       and, in the same spirit, {@code /mcp/{client_name}/http/{user_id}} (Streamable HTTP) and
 *       {@code /mcp/{client_name}/ws/{user_id}} (WebSocket)</li>
 *   <li>{@code /.well-known/oauth-protected-resource} (and {@code .../mcp}): the Protected Resource Metadata
 *       (RFC 9728), the one path that needs no credential</li>
 * </ul>
 */
public final class McpRouter {
  private static final Logger LOG = LoggerFactory.getLogger(McpRouter.class);
  private static final String OPENMEMORY = "/mcp/:client_name/%s/:user_id";

  private McpRouter() {
  }

  /**
   * The operator's token, the stored keys when they are on, and the external authorization server's tokens; none
   * of them: no credential is asked for.
   */
  private static AuthenticatorChain authenticators(Vertx vertx, McpConfig config, Authenticator tokens) {
    boolean operator = !config.token().isEmpty();
    // Stored keys are created with the operator's key: without one there are none to look up.
    return new AuthenticatorChain(operator ? new BootstrapKey(config.token()) : null,
      operator && config.storedKeys() ? new StoredKeys(vertx) : null, tokens);
  }

  /**
   * @param tokens the external authorization server's tokens ({@code TokenAuthenticator}), or null when none is
   *               configured
   * @param port   the port the listener listens on, once it does (for the resource's URI when it is derived)
   */
  public static Router create(Vertx vertx, McpProtocol protocol, SessionRegistry sessions, McpConfig config,
                              Authenticator tokens, IntSupplier port) {
    int maxMessageBytes = config.maxMessageBytes();
    WriteLimits limits = new WriteLimits(config.maxQueuedBytes(), config.slowClientMillis(),
      config.pingIntervalMillis());
    ProtectedResource resource = new ProtectedResource(config.publicUrl(), config.bind(), port, config.oauth(),
      config.tls().enabled());
    StreamableHttpTransport streamable = new StreamableHttpTransport(vertx, protocol, sessions, resource);
    LegacySseTransport legacy = new LegacySseTransport(vertx, protocol, sessions, limits);
    WebSocketTransport webSocket = new WebSocketTransport(vertx, protocol, sessions, maxMessageBytes, limits);

    Router router = Router.router(vertx);
    router.route().handler(new HttpGuard(HostPolicy.of(config.allowedHosts(), config.bind()),
      OriginPolicy.of(config.allowedOrigins()), authenticators(vertx, config, tokens),
      new RefusalAudit(vertx, "mcp"), resource));
    router.get(ProtectedResource.WELL_KNOWN).handler(rc -> metadata(rc, resource));
    router.get(ProtectedResource.WELL_KNOWN + ProtectedResource.ENDPOINT).handler(rc -> metadata(rc, resource));
    // The body limit only where bodies are read, so that any other path still answers 404.
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxMessageBytes);

    router.post("/mcp").handler(body).handler(streamable::post);
    router.get("/mcp").handler(streamable::get);
    router.delete("/mcp").handler(streamable::delete);
    router.get("/mcp/ws").handler(webSocket::upgrade);

    router.get("/sse").handler(rc -> legacy.open(rc, "/messages", "sessionId"));
    router.post("/messages").handler(body).handler(legacy::post);
    router.post("/mcp/messages/").handler(body).handler(legacy::post);

    String openMemorySse = OPENMEMORY.formatted("sse");
    router.get(openMemorySse).handler(rc -> legacy.open(rc, messagesPathOf(rc), "session_id"));
    router.post(openMemorySse + "/messages/").handler(body).handler(legacy::post);
    String openMemoryHttp = OPENMEMORY.formatted("http");
    router.post(openMemoryHttp).handler(body).handler(streamable::post);
    router.get(openMemoryHttp).handler(streamable::get);
    router.delete(openMemoryHttp).handler(streamable::delete);
    router.get(OPENMEMORY.formatted("ws")).handler(webSocket::upgrade);

    router.errorHandler(400, rc -> HttpReplies.error(rc, 400, JsonRpc.SERVER_ERROR, "bad request",
      "Bad Request: the request could not be read"));
    router.errorHandler(404, rc -> HttpReplies.error(rc, 404, JsonRpc.SERVER_ERROR, "no such path",
      "Not Found: MCP is served on /mcp (Streamable HTTP), /mcp/ws (WebSocket) and /sse (legacy SSE)"));
    router.errorHandler(405, rc -> HttpReplies.error(rc, 405, JsonRpc.SERVER_ERROR, "method not allowed",
      "Method Not Allowed"));
    router.errorHandler(413, rc -> {
      if (rc.request().version() != HttpVersion.HTTP_2) {
        // The rest of an oversized body is not read; close rather than leave the client writing into the void.
        rc.response().putHeader("Connection", "close");
      }
      HttpReplies.error(rc, 413, JsonRpc.INVALID_REQUEST, "body too large", "Payload Too Large: messages may be at "
        + "most " + maxMessageBytes + " bytes (mcp.max_message_bytes)");
    });
    router.errorHandler(500, rc -> {
      // Only a defect of this server gets here: every kind of client input is answered before.
      LOG.error("unexpected failure on {} {}", rc.request().method(), rc.request().path(), rc.failure());
      HttpReplies.send(rc, 500, JsonRpc.INTERNAL_ERROR, "Internal error; see the server log");
    });
    return router;
  }

  private static void metadata(RoutingContext rc, ProtectedResource resource) {
    rc.response().putHeader("Content-Type", HttpReplies.JSON).putHeader("Cache-Control", "public, max-age=300")
      .end(resource.metadata().encode());
  }

  /** The stream's own path plus {@code /messages/}, as OpenMemory's FastMCP server announced it. */
  private static String messagesPathOf(RoutingContext rc) {
    String path = rc.request().path();
    return (path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + "/messages/";
  }
}
