package dev.memgate.mcp;

import dev.memgate.access.oidc.OidcConfig;
import dev.memgate.contract.RequiredConfig;
import dev.memgate.edge.EdgeLimits;
import dev.memgate.edge.tls.TlsSettings;
import dev.memgate.mcp.protocol.SessionLimits;
import dev.memgate.mcp.tools.ToolLimits;
import dev.memgate.ratelimit.RateLimits;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The MCP verticle's configuration, complete as the composition root hands it over (the gateway's settings document
 * every value and its environment variable): a missing key stops start-up naming it.
 *
 * @param http               whether to open the HTTP server (false in stdio mode unless asked for)
 * @param bind               address the HTTP server listens on
 * @param port               its port; 0 picks a free one
 * @param token              the operator's credential (bootstrap key); empty for none
 * @param storedKeys         whether keys created through the admin API are honoured too
 * @param allowedOrigins     browser origins allowed to call, as {@code scheme://host[:port|:*]} patterns
 * @param allowedHosts       Host header names answered (empty: the loopback names when bound to loopback)
 * @param defaultUser        the user of sessions that name none; empty refuses such sessions
 * @param maxMessageBytes    largest message on any transport
 * @param sessions           how many sessions, streams and requests in flight a client may have
 * @param maxQueuedBytes     bytes of replies queued for a client before nothing more is read from it
 * @param slowClientMillis   how long a client's queue may stay full before it is disconnected
 * @param edge               the limits every listener applies to every client (shared with the REST listener)
 * @param tls                the certificate both listeners serve (HTTPS and WSS when one is given)
 * @param pingIntervalMillis how often an idle WebSocket is pinged
 * @param toolLimits         the memory service's limits, which the tools' input schemas declare
 * @param memoryItemSchema   the JSON Schema of a memory item: the OpenAPI contract's {@code Memory}, which the
 *                           composition root reads from the contract so that both edges describe the same item
 * @param addTimeoutMs       how long add_memories waits for the memory service: as long as the REST edge waits
 * @param toolsPageSize      tools per tools/list page
 * @param version            the server version initialize reports
 * @param graph              whether a graph store is on: search_graph is offered only then
 * @param llm                whether an LLM is configured: then an inferred add_memories spends an inference
 * @param rateLimits         the budgets tool calls spend from, shared with the REST listener
 * @param publicUrl          where clients reach this listener ({@code https://memory.example.com} behind a proxy),
 *                           which makes the protected resource's URI; empty to derive it from bind and port
 * @param oauth              the external authorization server whose tokens are accepted, or null for none
 */
public record McpConfig(boolean http, String bind, int port, String token, boolean storedKeys,
                        List<String> allowedOrigins,
                        List<String> allowedHosts, String defaultUser, int maxMessageBytes, SessionLimits sessions,
                        int maxQueuedBytes, long slowClientMillis, EdgeLimits edge, TlsSettings tls,
                        long pingIntervalMillis,
                        ToolLimits toolLimits, JsonObject memoryItemSchema, long addTimeoutMs, int toolsPageSize,
                        String version, boolean graph, boolean llm, RateLimits rateLimits, String publicUrl,
                        OidcConfig oauth) {

  /**
   * How often an idle WebSocket is pinged, unless {@code ping_interval_ms} says otherwise (a test that cannot wait
   * that long): not a setting, often enough that idle timeouts on the way (proxies, the listener's own) never fire.
   */
  public static final long PING_INTERVAL_MS = 30_000;
  /** Large enough that every tool is on the first page: some clients never ask for a second one. Not a setting. */
  public static final int TOOLS_PAGE_SIZE = 50;

  /** The {@code tls} section, every key required (named with its path when missing). */
  static TlsSettings tls(RequiredConfig tls) {
    return new TlsSettings(tls.text("cert_file"), tls.text("key_file"), TlsSettings.clientAuth(tls.text("client_auth")),
      tls.text("client_ca_file"), tls.longInteger("reload_interval_ms"));
  }

  public static McpConfig from(JsonObject json) {
    RequiredConfig config = RequiredConfig.of("mcp verticle", json);
    JsonObject memoryItem = config.object("memory_item_schema");
    if (!"object".equals(memoryItem.getValue("type"))) {
      throw new IllegalArgumentException("mcp verticle: memory_item_schema must describe an object");
    }
    return new McpConfig(
      config.flag("http"),
      config.text("bind"),
      config.integer("port"),
      config.text("token"),
      config.flag("stored_keys"),
      config.texts("allowed_origins"),
      config.texts("allowed_hosts"),
      config.text("default_user"),
      config.integer("max_message_bytes"),
      new SessionLimits(
        config.integer("max_sessions"),
        config.integer("max_sessions_per_address"),
        config.integer("max_streams_per_address"),
        config.integer("max_in_flight"),
        config.integer("session_idle_minutes") * 60_000L),
      config.integer("max_queued_bytes"),
      config.longInteger("slow_client_timeout_ms"),
      EdgeLimits.from(config.section("edge").withIntegers(EdgeLimits.KEYS)),
      tls(config.section("tls")),
      config.optionalLongInteger("ping_interval_ms").orElse(PING_INTERVAL_MS),
      ToolLimits.from(config.section("limits")),
      memoryItem.copy(),
      config.longInteger("add_timeout_ms"),
      TOOLS_PAGE_SIZE,
      config.text("version"),
      config.flag("graph"),
      config.flag("llm"),
      RateLimits.from(config.section("rate_limits")),
      config.text("public_url"),
      // Left out when no issuer is configured: then no token is accepted.
      config.optionalSection("oauth").isPresent() ? OidcConfig.from(json.getJsonObject("oauth")) : null);
  }
}
