package dev.memgate.mcp;

import dev.memgate.contract.BusClient;
import dev.memgate.edge.EdgeLimits;
import dev.memgate.edge.tls.TlsSettings;
import dev.memgate.mcp.tools.ToolBox;
import dev.memgate.mcp.tools.ToolLimits;
import dev.memgate.ratelimit.RateLimits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A complete MCP verticle configuration for the tests of this module, which run without the gateway that builds
 * the real one (its settings and its OpenAPI contract are out of reach here). The values are those of
 * {@code conf/memgate.yaml}; the gateway's tests take theirs from {@code VerticleConfigs}, and check there that the
 * tools return the contract's memory item.
 */
public final class McpTestConfig {
  /** The memory service's limits as conf/memgate.yaml sets them, and its longest id and list default. */
  public static final ToolLimits LIMITS = new ToolLimits(16_384, 4_096, 256, 1_000, 10, 100);
  /** A stand-in for the contract's Memory schema: these tests never check what a tool returns. */
  public static final JsonObject MEMORY_ITEM = new JsonObject().put("type", "object")
    .put("properties", new JsonObject().put("id", new JsonObject().put("type", "string"))
      .put("memory", new JsonObject().put("type", "string")))
    .put("required", new JsonArray().add("id").add("memory"));
  /** The memory service's own timeout: no LLM here. */
  public static final long ADD_TIMEOUT_MS = 60_000;

  private McpTestConfig() {
  }

  /** The tools as the verticle offers them. */
  public static ToolBox tools(BusClient bus, boolean graph) {
    return ToolBox.memoryTools(bus, graph, LIMITS, MEMORY_ITEM, ADD_TIMEOUT_MS);
  }

  /** The verticle's configuration, serving HTTP on a free loopback port. */
  public static JsonObject verticle() {
    return new JsonObject()
      .put("http", true)
      .put("bind", "127.0.0.1")
      .put("port", 0)
      .put("token", "")
      .put("stored_keys", false)
      .put("allowed_origins", new JsonArray().add("http://localhost:*").add("http://127.0.0.1:*"))
      .put("allowed_hosts", new JsonArray())
      .put("default_user", "default_user")
      .put("max_message_bytes", 1_048_576)
      .put("session_idle_minutes", 60)
      .put("edge", new EdgeLimits(0, 256, 120, 10_000, 30_000).toJson())
      .put("tls", TlsSettings.off().toJson())
      .put("max_sessions", 10_000)
      .put("max_sessions_per_address", 100)
      .put("max_streams_per_address", 32)
      .put("max_in_flight", 8)
      .put("max_queued_bytes", 1_048_576)
      .put("slow_client_timeout_ms", 30_000)
      .put("limits", LIMITS.toJson())
      .put("memory_item_schema", MEMORY_ITEM)
      .put("add_timeout_ms", ADD_TIMEOUT_MS)
      .put("graph", false)
      .put("llm", false)
      .put("rate_limits", new RateLimits(true, new RateLimits.PerMinute(60_000, 30_000, 600),
        new RateLimits.PerMinute(60_000, 30_000, 600), 60, 100_000).toJson())
      .put("version", "test")
      .put("public_url", "");
  }
}
