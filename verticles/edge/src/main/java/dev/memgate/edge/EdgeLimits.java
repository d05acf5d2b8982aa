package dev.memgate.edge;

import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The limits every listener applies to every client (the {@code edge.*} settings), as the composition root hands
 * them to the REST and MCP verticles.
 *
 * @param maxConnections           most connections open at once over every listener of the process
 * @param maxConnectionsPerAddress most connections one client address may hold at once
 * @param idleTimeoutSeconds       a connection with no traffic for this long is closed; also the longest a kept-alive
 *                                 connection may wait between two requests
 * @param headerTimeoutMs          how long a new connection may take to send its first request's headers
 * @param bodyTimeoutMs            how long a request may take to send its body once its headers are in
 */
public record EdgeLimits(int maxConnections, int maxConnectionsPerAddress, int idleTimeoutSeconds, int headerTimeoutMs,
                         int bodyTimeoutMs) {
  /** File descriptors kept back for the stores, logs and outgoing clients when the budget is derived. */
  private static final double SHARE_FOR_CONNECTIONS = 0.75;

  /** The keys of the {@code edge} object, every one required (a verticle checks them before {@link #from}). */
  public static final List<String> KEYS = List.of("max_connections", "max_connections_per_address",
    "idle_timeout_seconds", "header_timeout_ms", "body_timeout_ms");

  /** Reads the verticle configuration's {@code edge} object, as {@link #toJson()} writes it. */
  public static EdgeLimits from(JsonObject json) {
    return new EdgeLimits(json.getInteger("max_connections"), json.getInteger("max_connections_per_address"),
      json.getInteger("idle_timeout_seconds"), json.getInteger("header_timeout_ms"),
      json.getInteger("body_timeout_ms"));
  }

  /**
   * The limits with {@code maxConnections} resolved: 0 (the default) means three quarters of the process's
   * file-descriptor limit, so that a flood of connections is refused before the process runs out of descriptors
   * and its accept loop, its stores and its logs start failing.
   */
  public EdgeLimits resolved() {
    return maxConnections > 0 ? this : new EdgeLimits(derivedConnectionBudget(), maxConnectionsPerAddress,
      idleTimeoutSeconds, headerTimeoutMs, bodyTimeoutMs);
  }

  static int derivedConnectionBudget() {
    long descriptors = ManagementFactory.getOperatingSystemMXBean()
      instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : 10_000;
    return (int) Math.max(64, Math.min(1_000_000, descriptors * SHARE_FOR_CONNECTIONS));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("max_connections", maxConnections)
      .put("max_connections_per_address", maxConnectionsPerAddress)
      .put("idle_timeout_seconds", idleTimeoutSeconds)
      .put("header_timeout_ms", headerTimeoutMs)
      .put("body_timeout_ms", bodyTimeoutMs);
  }
}
