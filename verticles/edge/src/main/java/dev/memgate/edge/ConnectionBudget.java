package dev.memgate.edge;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.HashMap;
import java.util.Map;

/**
 * The connections open over every listener of one Vert.x instance (REST and MCP, every event loop), in total and
 * per client address, so that no single client can reach the global cap and the process never runs out of file
 * descriptors. Thread-safe: each listener's event loops open and release connections concurrently.
 */
public final class ConnectionBudget implements Shareable {
  private static final String SHARED_MAP = "memgate.edge";

  private final Map<String, Integer> perAddress = new HashMap<>();
  private int open;
  private long refusedOverTotal;
  private long refusedOverAddress;
  private long timedOut;
  private final EdgeLimits limits;

  private ConnectionBudget(EdgeLimits limits) {
    this.limits = limits;
  }

  /** The budget of this Vert.x instance, created with these limits by the first listener that asks. */
  public static ConnectionBudget of(Vertx vertx, EdgeLimits limits) {
    LocalMap<String, ConnectionBudget> map = vertx.sharedData().getLocalMap(SHARED_MAP);
    ConnectionBudget fresh = new ConnectionBudget(limits.resolved());
    ConnectionBudget existing = map.putIfAbsent("budget", fresh);
    return existing == null ? fresh : existing;
  }

  /** The budget of this Vert.x instance, or null when no listener has started. */
  public static ConnectionBudget find(Vertx vertx) {
    LocalMap<String, ConnectionBudget> map = vertx.sharedData().getLocalMap(SHARED_MAP);
    return map.get("budget");
  }

  /** Why a connection from this address may not open, or null when it may (and is then counted). */
  synchronized String tryOpen(String address) {
    EdgeLimits current = limits;
    if (open >= current.maxConnections()) {
      refusedOverTotal++;
      return "the process holds " + open + " connections (edge.max_connections)";
    }
    int held = perAddress.getOrDefault(address, 0);
    if (held >= current.maxConnectionsPerAddress()) {
      refusedOverAddress++;
      return "the address holds " + held + " connections (edge.max_connections_per_address)";
    }
    perAddress.put(address, held + 1);
    open++;
    return null;
  }

  synchronized void release(String address) {
    Integer held = perAddress.get(address);
    if (held == null) {
      return;
    }
    if (held <= 1) {
      perAddress.remove(address);
    } else {
      perAddress.put(address, held - 1);
    }
    open--;
  }

  synchronized void countTimeout() {
    timedOut++;
  }

  /** Connections open now, from how many addresses, what was refused or timed out since start, and the limits. */
  public synchronized JsonObject snapshot() {
    return new JsonObject()
      .put("status", "UP")
      .put("connections", open)
      .put("addresses", perAddress.size())
      .put("refused_over_max_connections", refusedOverTotal)
      .put("refused_over_max_connections_per_address", refusedOverAddress)
      .put("timed_out", timedOut)
      .put("limits", limits.toJson());
  }
}
