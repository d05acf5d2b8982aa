package dev.memgate.memory;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.GraphBus;
import dev.memgate.contract.RequiredConfig;
import dev.memgate.contract.Scope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the memory service uses the graph service, or answers for it when the graph is off ({@code graph.store:
 * none}): search replies then carry {@code "relations": []} and inferred adds {@code "graph": "off"}. A graph that
 * fails never fails a search: the reply then says {@code "graph": "unavailable"} next to empty relations.
 *
 * <p>Configuration ({@code graph} of the memory verticle, both required): {@code enabled}, {@code prepare_timeout_ms}
 * (the graph's LLM calls of one add, with their margins, as the composition root computes them).
 */
public final class GraphLink {
  private static final Logger LOG = LoggerFactory.getLogger(GraphLink.class);

  private final BusClient bus;
  private final boolean enabled;
  private final long prepareTimeoutMs;

  public GraphLink(BusClient bus, RequiredConfig config) {
    this.bus = bus;
    this.enabled = config.flag("enabled");
    this.prepareTimeoutMs = config.longInteger("prepare_timeout_ms");
  }

  public boolean enabled() {
    return enabled;
  }

  /** Extraction and contradiction check of an add's conversation; writes nothing. Null when the graph is off. */
  public Future<JsonObject> prepare(Scope scope, String conversation, String at) {
    if (!enabled) {
      return null;
    }
    return bus.request(GraphBus.PREPARE, new JsonObject().put(GraphBus.SCOPE, scope.toJson())
      .put(GraphBus.TEXT, conversation).put(GraphBus.AT, at), prepareTimeoutMs);
  }

  /**
   * Writes a prepared add with the memories it produced ([{id, memory}]); {graph, relations:{added, invalidated}}.
   * The graph service makes it durable before answering, so "pending" is a promise kept when the store is back.
   */
  public Future<JsonObject> commit(Scope scope, JsonObject plan, JsonArray memories) {
    return bus.request(GraphBus.COMMIT, new JsonObject().put(GraphBus.SCOPE, scope.toJson())
        .put(GraphBus.PLAN, plan).put(GraphBus.MEMORIES, memories), GraphBus.TIMEOUT_MS)
      .recover(err -> {
        LOG.error("graph part of an add was not recorded: {}", err.getMessage());
        return Future.succeededFuture(new JsonObject().put(GraphBus.GRAPH, "failed")
          .put("graph_error", BusFailure.from(err).detail())
          .put(GraphBus.RELATIONS, emptyChanges()));
      });
  }

  /** What an add reply says about the graph when it has nothing to do with it. */
  public JsonObject untouched() {
    return new JsonObject().put(GraphBus.GRAPH, enabled ? GraphBus.OK : GraphBus.OFF)
      .put(GraphBus.RELATIONS, emptyChanges());
  }

  static JsonObject emptyChanges() {
    return new JsonObject().put(GraphBus.ADDED, new JsonArray()).put(GraphBus.INVALIDATED, new JsonArray());
  }

  /** The relations for a search reply; [] when the graph is off or failing. */
  public Future<JsonObject> search(Scope scope, String query, String asOf, boolean includeInvalidated) {
    if (!enabled) {
      return Future.succeededFuture(new JsonObject().put(GraphBus.RELATIONS, new JsonArray()));
    }
    JsonObject request = new JsonObject().put(GraphBus.SCOPE, scope.toJson()).put(GraphBus.QUERY, query)
      .put(GraphBus.INCLUDE_INVALIDATED, includeInvalidated);
    if (asOf != null) {
      request.put(GraphBus.AS_OF, asOf);
    }
    return bus.request(GraphBus.SEARCH, request, GraphBus.TIMEOUT_MS)
      .map(reply -> new JsonObject().put(GraphBus.RELATIONS, reply.getJsonArray(GraphBus.RELATIONS)))
      .otherwise(err -> {
        LOG.warn("graph search failed, answering without relations: {}", err.getMessage());
        return new JsonObject().put(GraphBus.RELATIONS, new JsonArray()).put(GraphBus.GRAPH, "unavailable");
      });
  }

  /** A deleted memory's contribution leaves the graph; the reply's "graph" status, or null when off. */
  public Future<String> forgetMemory(Scope scope, String memoryId) {
    return write(GraphBus.FORGET_MEMORY, new JsonObject().put(GraphBus.SCOPE, scope.toJson())
      .put(GraphBus.MEMORY_ID, memoryId));
  }

  public Future<String> deleteScope(Scope scope) {
    return write(GraphBus.DELETE_SCOPE, new JsonObject().put(GraphBus.SCOPE, scope.toJson()));
  }

  public Future<String> reset() {
    return write(GraphBus.RESET, new JsonObject());
  }

  private Future<String> write(String address, JsonObject request) {
    if (!enabled) {
      return Future.succeededFuture(null);
    }
    return bus.request(address, request, GraphBus.TIMEOUT_MS).map(reply -> reply.getString(GraphBus.GRAPH))
      .recover(err -> {
        LOG.error("graph deletion {} was not recorded: {}", address, err.getMessage());
        return Future.succeededFuture("failed");
      });
  }

  public Future<JsonObject> export(Scope scope, int limit) {
    if (!enabled) {
      return Future.succeededFuture(new JsonObject().put("nodes", new JsonArray()).put("edges", new JsonArray())
        .put("truncated", false).put(GraphBus.GRAPH, GraphBus.OFF));
    }
    return bus.request(GraphBus.EXPORT, new JsonObject().put(GraphBus.SCOPE, scope.toJson())
      .put(GraphBus.LIMIT, limit), GraphBus.TIMEOUT_MS);
  }
}
