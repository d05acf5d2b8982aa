package dev.memgate.mcp;

import dev.memgate.access.oidc.TokenAuthenticator;
import dev.memgate.contract.AccessBus;
import dev.memgate.contract.BusClient;
import dev.memgate.contract.BusServer;
import dev.memgate.contract.McpBus;
import dev.memgate.mcp.protocol.McpProtocol;
import dev.memgate.mcp.protocol.ToolCharges;
import dev.memgate.ratelimit.RateLimiter;
import dev.memgate.mcp.protocol.ServerInfo;
import dev.memgate.mcp.protocol.SessionRegistry;
import dev.memgate.mcp.tools.MemoryResources;
import dev.memgate.mcp.tools.ToolBox;
import dev.memgate.mcp.transport.InvalidHttpRequests;
import dev.memgate.mcp.transport.McpRouter;
import dev.memgate.edge.EdgeLimits;
import dev.memgate.edge.HttpVersionCheck;
import dev.memgate.edge.ListenerGuard;
import dev.memgate.edge.tls.ListenerTls;
import dev.memgate.mcp.protocol.JsonRpc;
import dev.memgate.mcp.transport.StdioChannel;
import dev.memgate.mcp.transport.StdioTransport;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The MCP edge: speaks the Model Context Protocol and forwards every tool call to the memory service over the bus,
 * so MCP and the REST API always behave alike. One HTTP server carries Streamable HTTP, WebSocket and legacy SSE;
 * stdio is served when the process was started with {@code --stdio} (the channel is handed to the constructor,
 * because there is exactly one stdin per process). Sessions live in this one instance, on its event loop.
 *
 * <p>Configuration: see {@link McpConfig}.
 */
public final class McpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(McpVerticle.class);
  private static final String SHARED_MAP = "memgate.mcp";

  private final StdioChannel stdio;
  private SessionRegistry sessions;
  private HttpServer server;
  private ListenerGuard guard;
  private TokenAuthenticator tokens;
  private ListenerTls tls;

  public McpVerticle() {
    this(null);
  }

  /** @param stdio the process's stdin/stdout to serve, or null */
  public McpVerticle(StdioChannel stdio) {
    this.stdio = stdio;
  }

  @Override
  public Future<?> start() {
    McpConfig config = McpConfig.from(config());
    long idleMillis = config.sessions().idleMillis();
    sessions = new SessionRegistry(config.sessions(), System::currentTimeMillis);
    BusClient bus = new BusClient(vertx);
    ToolBox tools = ToolBox.memoryTools(bus, config.graph(), config.toolLimits(), config.memoryItemSchema(),
      config.addTimeoutMs());
    ToolCharges charges = new ToolCharges(RateLimiter.shared(vertx, config.rateLimits()), tools, config.llm());
    McpProtocol protocol = new McpProtocol(ServerInfo.memgate(config.version()), tools, new MemoryResources(bus),
      sessions, config.defaultUser(), config.toolsPageSize(), charges);
    vertx.setPeriodic(Math.max(1_000, Math.min(60_000, idleMillis / 2)), id -> {
      int expired = sessions.expireIdle();
      if (expired > 0) {
        LOG.debug("{} idle MCP session(s) expired", expired);
      }
    });
    // A key revoked or rotated, or its app paused (on any node: the access service publishes it cluster-wide), ends
    // the sessions it opened, so that a WebSocket does not go on with a credential that no longer holds.
    vertx.eventBus().<JsonObject>consumer(AccessBus.KEY_CHANGED, change -> {
      int ended = sessions.closeCredential(change.body().getString("key_id"), change.body().getString("app"));
      if (ended > 0) {
        LOG.info("{} MCP session(s) ended: their key changed", ended);
      }
    });
    Future<?> health = BusServer.serve(vertx, McpBus.HEALTH, body -> Future.succeededFuture(health(config)))
      .completion();
    if (stdio != null) {
      new StdioTransport(context, protocol, sessions, stdio, config.maxMessageBytes()).start();
    }
    if (!config.http()) {
      return health;
    }
    HttpServerOptions options = new HttpServerOptions()
      .setHost(config.bind())
      .setPort(config.port())
      .setMaxInitialLineLength(8_192)
      .setMaxHeaderSize(16_384)
      // Clients send a message as one frame; the transport enforces the message limit itself (close 1009).
      .setMaxWebSocketFrameSize(config.maxMessageBytes())
      .setMaxWebSocketMessageSize(config.maxMessageBytes())
      // No WebSocket compression: MCP messages are small, and without an extension the frame decoder refuses
      // frames with reserved bits set (close 1002), as RFC 6455 asks.
      .setPerFrameWebSocketCompressionSupported(false)
      .setPerMessageWebSocketCompressionSupported(false)
      .addWebSocketSubProtocol("mcp");
    guard = new ListenerGuard(vertx, "mcp", config.edge(),
      (response, status, message) -> response.setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(JsonRpc.error(null, JsonRpc.SERVER_ERROR, message, null).encode()));
    guard.alsoOnConnection(HttpVersionCheck::install);
    // The issuer's keys are fetched in the background: an issuer that is away does not keep MCP from starting.
    tokens = config.oauth() == null ? null : TokenAuthenticator.start(vertx, config.oauth());
    return health.compose(v -> ListenerTls.prepare(vertx, "mcp", config.tls(), config.edge().headerTimeoutMs()))
      .compose(prepared -> {
        tls = prepared;
        return guard.attach(tls.logHandshakeFailures(vertx.createHttpServer(tls.configure(
              ListenerGuard.configure(options))))
            .invalidRequestHandler(new InvalidHttpRequests()), McpRouter.create(vertx, protocol, sessions, config,
            tokens, () -> server == null ? config.port() : server.actualPort()))
          .listen();
      })
      .onSuccess(listening -> {
        server = listening;
        vertx.sharedData().getLocalMap(SHARED_MAP).put("port", listening.actualPort());
        tls.watch(listening);
      });
  }

  private JsonObject health(McpConfig config) {
    List<String> transports = new ArrayList<>();
    if (config.http()) {
      transports.addAll(List.of("streamable-http", "websocket", "sse"));
    }
    if (stdio != null) {
      transports.add("stdio");
    }
    return new JsonObject()
      .put("status", "UP")
      .put("transports", new JsonArray(transports))
      .put("port", server == null ? -1 : server.actualPort())
      .put("sessions", new JsonObject(new java.util.HashMap<>(sessions.countByTransport())))
      .put("limits", new JsonObject()
        .put("max_sessions", config.sessions().maxSessions())
        .put("max_sessions_per_address", config.sessions().maxSessionsPerAddress())
        .put("max_streams_per_address", config.sessions().maxStreamsPerAddress())
        .put("max_in_flight", config.sessions().maxInFlight())
        .put("max_queued_bytes", config.maxQueuedBytes())
        .put("slow_client_timeout_ms", config.slowClientMillis())
        .put("max_message_bytes", config.maxMessageBytes()));
  }

  /** The port MCP listens on once deployed (useful when configured as 0), or -1 when it does not listen. */
  public static int actualPort(Vertx vertx) {
    Object port = vertx.sharedData().getLocalMap(SHARED_MAP).get("port");
    return port == null ? -1 : (Integer) port;
  }

  @Override
  public Future<?> stop() {
    if (sessions != null) {
      sessions.closeAll();
    }
    if (guard != null) {
      guard.stop();
    }
    if (tokens != null) {
      tokens.close();
    }
    if (tls != null) {
      tls.stop();
    }
    return Future.succeededFuture();
  }
}
