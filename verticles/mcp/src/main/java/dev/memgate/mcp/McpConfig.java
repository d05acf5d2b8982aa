package dev.memgate.mcp;

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
 * @param token              bearer token every HTTP request must carry; empty for none
 * @param allowedOrigins     browser origins allowed to call, as {@code scheme://host[:port|:*]} patterns
 * @param defaultUser        the user of sessions that name none; empty refuses such sessions
 * @param maxMessageBytes    largest message on any transport
 * @param sessionIdleMinutes how long a Streamable HTTP session may stay unused before it ends
 * @param maxSessions        most sessions open at once
 * @param toolsPageSize      tools per tools/list page
 * @param version            the server version initialize reports
 */
public record McpConfig(boolean http, String bind, int port, String token, List<String> allowedOrigins,
                        String defaultUser, int maxMessageBytes, int sessionIdleMinutes, int maxSessions,
                        int toolsPageSize, String version, boolean graph) {

  public static McpConfig from(JsonObject json) {
    return new McpConfig(
      json.getBoolean("http", true),
      json.getString("bind", "127.0.0.1"),
      json.getInteger("port", 8765),
      json.getString("token", ""),
      json.getJsonArray("allowed_origins", new JsonArray().add("http://localhost:*").add("http://127.0.0.1:*"))
        .stream().map(String::valueOf).toList(),
      json.getString("default_user", ""),
      json.getInteger("max_message_bytes", 1 << 20),
      json.getInteger("session_idle_minutes", 60),
      json.getInteger("max_sessions", 10_000),
      // Large enough that every tool is on the first page: some clients never ask for a second one.
      json.getInteger("tools_page_size", 50),
      json.getString("version", "dev"),
      // Whether a graph store is on: search_graph is offered only then.
      json.getBoolean("graph", false));
  }
}
