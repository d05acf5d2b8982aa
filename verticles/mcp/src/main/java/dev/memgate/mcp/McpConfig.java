package dev.memgate.mcp;

import dev.memgate.mcp.protocol.SessionLimits;
import dev.memgate.mcp.tools.ToolLimits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The MCP verticle's configuration, as the composition root hands it over (the gateway's settings document every
 * value and its environment variable).
 *
 * @param http               whether to open the HTTP server (false in stdio mode unless asked for)
 * @param bind               address the HTTP server listens on
 * @param port               its port; 0 picks a free one
 * @param token              the credential every HTTP request must carry; empty for none
 * @param allowedOrigins     browser origins allowed to call, as {@code scheme://host[:port|:*]} patterns
 * @param allowedHosts       Host header names answered (empty: the loopback names when bound to loopback)
 * @param defaultUser        the user of sessions that name none; empty refuses such sessions
 * @param maxMessageBytes    largest message on any transport
 * @param sessions           how many sessions, streams and requests in flight a client may have
 * @param maxQueuedBytes     bytes of replies queued for a client before nothing more is read from it
 * @param slowClientMillis   how long a client's queue may stay full before it is disconnected
 * @param pingIntervalMillis how often an idle WebSocket is pinged
 * @param toolLimits         the memory service's limits, which the tools' input schemas declare
 * @param toolsPageSize      tools per tools/list page
 * @param version            the server version initialize reports
 * @param graph              whether a graph store is on: search_graph is offered only then
 */
public record McpConfig(boolean http, String bind, int port, String token, List<String> allowedOrigins,
                        List<String> allowedHosts, String defaultUser, int maxMessageBytes, SessionLimits sessions,
                        int maxQueuedBytes, long slowClientMillis, long pingIntervalMillis, ToolLimits toolLimits,
                        int toolsPageSize, String version, boolean graph) {

  public static McpConfig from(JsonObject json) {
    int maxSessions = json.getInteger("max_sessions", 10_000);
    return new McpConfig(
      json.getBoolean("http", true),
      json.getString("bind", "127.0.0.1"),
      json.getInteger("port", 8765),
      json.getString("token", ""),
      strings(json.getJsonArray("allowed_origins", new JsonArray().add("http://localhost:*")
        .add("http://127.0.0.1:*"))),
      strings(json.getJsonArray("allowed_hosts", new JsonArray())),
      json.getString("default_user", ""),
      json.getInteger("max_message_bytes", 1 << 20),
      new SessionLimits(
        maxSessions,
        json.getInteger("max_sessions_per_address", 100),
        json.getInteger("max_streams_per_address", 32),
        json.getInteger("max_in_flight", 8),
        json.getInteger("session_idle_minutes", 60) * 60_000L),
      json.getInteger("max_queued_bytes", 1 << 20),
      json.getLong("slow_client_timeout_ms", 30_000L),
      // Not a setting: often enough that idle timeouts on the way (proxies, the listener's own) never fire.
      json.getLong("ping_interval_ms", 30_000L),
      ToolLimits.from(json.getJsonObject("limits", new JsonObject())),
      // Large enough that every tool is on the first page: some clients never ask for a second one.
      json.getInteger("tools_page_size", 50),
      json.getString("version", "dev"),
      json.getBoolean("graph", false));
  }

  private static List<String> strings(JsonArray array) {
    return array.stream().map(String::valueOf).toList();
  }
}
