package dev.memgate.contract;

/**
 * The MCP edge's own address. Tool calls never arrive here: the MCP verticle is a client of {@link MemoryBus}, like
 * the REST API. What it serves is its state, for health checks and operators.
 */
public final class McpBus {
  /** {} → {status, transports:[...], port, sessions}; port is -1 when no HTTP transport listens. */
  public static final String HEALTH = "memgate.mcp.health";

  public static final long TIMEOUT_MS = 3_000;

  private McpBus() {
  }
}
