package dev.memgate.gateway.http;

import dev.memgate.access.Caller;
import dev.memgate.contract.AccessBus;
import dev.memgate.contract.BusClient;
import dev.memgate.contract.EmbeddingBus;
import dev.memgate.contract.Fields;
import dev.memgate.contract.GraphBus;
import dev.memgate.contract.LlmBus;
import dev.memgate.contract.McpBus;
import dev.memgate.contract.MemoryBus;
import dev.memgate.contract.RequiredConfig;
import dev.memgate.contract.VectorBus;
import dev.memgate.edge.ConnectionBudget;
import dev.memgate.edge.tls.ListenerTls;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One handler per operationId of the contract. Each takes the validated request, forwards it to the memory service
 * over the bus, and answers with the reply; the memory service owns every rule, so MCP and HTTP behave alike.
 */
final class MemoryOperations {
  private static final long HEALTH_TIMEOUT_MS = 3_000;

  private final BusClient bus;
  private final JsonObject publicConfig;
  private final String version;
  private final Buffer contractText;
  private final long addTimeoutMs;
  private final String clusterName;
  /** The components /health asks, by name: those the configuration in force turns on. */
  private final Map<String, String> components = new LinkedHashMap<>();

  /** @param publicConfig the configuration in force, complete (Settings.publicView), secrets masked */
  MemoryOperations(BusClient bus, JsonObject publicConfig, String version, Buffer contractText, long addTimeoutMs) {
    this.bus = bus;
    this.publicConfig = publicConfig;
    this.version = version;
    this.contractText = contractText;
    this.addTimeoutMs = addTimeoutMs;
    RequiredConfig inForce = RequiredConfig.of("http verticle: public_config", publicConfig);
    this.clusterName = inForce.section("cluster").text("name");
    components.put("memory", MemoryBus.HEALTH);
    components.put("embedding", EmbeddingBus.HEALTH);
    components.put("vector_store", VectorBus.HEALTH);
    if (!"none".equals(inForce.section("llm").text("provider"))) {
      components.put("llm", LlmBus.HEALTH);
    }
    if (!"none".equals(inForce.section("graph").text("store"))) {
      components.put("graph", GraphBus.HEALTH);
    }
    if ("true".equals(inForce.section("mcp").text("enabled"))) {
      components.put("mcp", McpBus.HEALTH);
    }
  }

  void mount(RouterBuilder builder) {
    builder.getRoute("addMemories").addHandler(rc -> bus.request(MemoryBus.ADD, stamped(rc, body(rc)), addTimeoutMs)
      .onSuccess(rc::json)
      .onFailure(rc::fail));
    builder.getRoute("listMemories").addHandler(rc -> forward(rc, MemoryBus.LIST, query(rc)));
    builder.getRoute("deleteAllMemories").addHandler(rc -> forward(rc, MemoryBus.DELETE_ALL, query(rc)));
    builder.getRoute("getMemory").addHandler(rc -> forward(rc, MemoryBus.GET, withId(rc, new JsonObject())));
    builder.getRoute("updateMemory").addHandler(rc -> forward(rc, MemoryBus.UPDATE, withId(rc, body(rc))));
    builder.getRoute("deleteMemory").addHandler(rc -> forward(rc, MemoryBus.DELETE, withId(rc, new JsonObject())));
    builder.getRoute("memoryHistory").addHandler(rc ->
      bus.request(MemoryBus.HISTORY, stamped(rc, withId(rc, new JsonObject())), MemoryBus.TIMEOUT_MS)
        .onSuccess(reply -> rc.json(reply.getJsonArray(Fields.RESULTS)))
        .onFailure(rc::fail));
    builder.getRoute("searchMemories").addHandler(rc -> forward(rc, MemoryBus.SEARCH, body(rc)));
    builder.getRoute("resetMemories").addHandler(rc -> forward(rc, MemoryBus.RESET, new JsonObject()));
    builder.getRoute("getGraph").addHandler(rc -> forward(rc, MemoryBus.GRAPH, query(rc)));
    builder.getRoute("health").addHandler(this::health);
    builder.getRoute("healthLive").addHandler(rc -> rc.json(new JsonObject().put("status", "UP")));
    builder.getRoute("healthReady").addHandler(this::ready);
    builder.getRoute("getContract").addHandler(rc -> rc.response()
      .putHeader("Content-Type", "application/yaml; charset=utf-8")
      .end(contractText));
  }

  private void forward(RoutingContext rc, String address, JsonObject request) {
    bus.request(address, stamped(rc, request), MemoryBus.TIMEOUT_MS)
      .onSuccess(rc::json)
      .onFailure(rc::fail);
  }

  /**
   * The request with the caller the listener authenticated: the memory service keeps it to its scope and
   * permissions. Whatever a client put under that field is overwritten.
   */
  private static JsonObject stamped(RoutingContext rc, JsonObject request) {
    Caller caller = rc.get(Caller.CONTEXT_KEY, Caller.OPEN);
    SocketAddress from = rc.request().remoteAddress();
    return request.put(MemoryBus.CALLER, caller.toJson())
      .put(AccessBus.ADDRESS, from == null ? null : from.hostAddress());
  }

  private static ValidatedRequest validated(RoutingContext rc) {
    return rc.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
  }

  private static JsonObject body(RoutingContext rc) {
    RequestParameter body = validated(rc).getBody();
    return body == null || body.isNull() ? new JsonObject() : body.getJsonObject().copy();
  }

  private static JsonObject query(RoutingContext rc) {
    JsonObject request = new JsonObject();
    validated(rc).getQuery().forEach((name, value) -> {
      if (value != null && !value.isNull()) {
        request.put(name, value.get());
      }
    });
    return request;
  }

  private static JsonObject withId(RoutingContext rc, JsonObject request) {
    return request.put(Fields.MEMORY_ID, validated(rc).getPathParameters().get(Fields.MEMORY_ID).getString());
  }

  /**
   * Asks every component at once, each with a short deadline, so that /health answers even when one hangs. The LLM
   * shows its provider, model, circuit state and counters; it does not make the service DOWN, because everything
   * but inferred adds keeps working without it.
   */
  private void health(RoutingContext rc) {
    componentStates().onComplete(done -> {
      JsonObject status = done.result();
      String overall = overall(status);
      boolean up = "UP".equals(overall);
      if (!components.containsKey("llm")) {
        status.put("llm", new JsonObject().put("status", "DISABLED").put("provider", "none"));
      }
      if (!components.containsKey("mcp")) {
        status.put("mcp", new JsonObject().put("status", "DISABLED"));
      }
      if (!components.containsKey("graph")) {
        status.put("graph", new JsonObject().put("status", "DISABLED").put("store", "none")
          .put("reason", "graph memory is off (graph.store = none): searches answer \"relations\": []"));
      }
      ConnectionBudget connections = ConnectionBudget.find(rc.vertx());
      if (connections != null) {
        // Both listeners' connections, what the limits refused, and the limits in force.
        status.put("edge", connections.snapshot());
      }
      // The certificate each listener serves (subject, serial, not after; never the key), or DISABLED.
      status.put("tls", ListenerTls.health(rc.vertx()));
      status.put("process", ProcessStats.snapshot());
      rc.response().setStatusCode(up ? 200 : 503);
      if (Boolean.TRUE.equals(rc.get(Authentication.BARE_HEALTH))) {
        rc.json(new JsonObject().put("status", overall));
        return;
      }
      JsonObject health = new JsonObject()
        .put("status", overall)
        .put("version", version)
        .put("components", status)
        .put("config", publicConfig);
      JsonObject cluster = ClusterView.of(rc.vertx(), clusterName);
      if (cluster != null) {
        health.put("cluster", cluster);
      }
      rc.json(health);
    });
  }

  /**
   * Readiness, for a load balancer: UP (200) when the components /health counts are up and this node is in the
   * cluster (when clustered); else the state that stops it (503), so traffic goes to the other nodes meanwhile.
   */
  private void ready(RoutingContext rc) {
    componentStates().onComplete(done -> {
      String overall = ClusterView.joined(rc.vertx()) ? overall(done.result()) : "DOWN";
      rc.response().setStatusCode("UP".equals(overall) ? 200 : 503);
      rc.json(new JsonObject().put("status", overall));
    });
  }

  /** Every component's health, asked at once, each with a short deadline; a component that fails is DOWN. */
  private Future<JsonObject> componentStates() {
    Map<String, Future<JsonObject>> replies = new LinkedHashMap<>();
    components.forEach((name, address) -> replies.put(name, bus.request(address, new JsonObject(),
      HEALTH_TIMEOUT_MS).recover(err -> Future.succeededFuture(new JsonObject()
        .put("status", "DOWN").put("reason", err.getMessage())))));
    return Future.join(replies.values().stream().map(f -> (Future<?>) f).toList()).transform(done -> {
      JsonObject status = new JsonObject();
      replies.forEach((name, reply) -> status.put(name, reply.result()));
      return Future.succeededFuture(status);
    });
  }

  /**
   * The service's state from its components': neither the LLM nor the graph store makes it DOWN (adds, searches
   * and deletes go on without them; graph writes wait in the outbox), and it is STARTING while a part is still
   * loading (the embedding model), since requests that need it wait for it.
   */
  private static String overall(JsonObject components) {
    boolean down = false;
    boolean starting = false;
    for (String name : components.fieldNames()) {
      if ("llm".equals(name) || "graph".equals(name)) {
        continue;
      }
      String state = components.getJsonObject(name).getString("status");
      starting |= "STARTING".equals(state);
      down |= !"UP".equals(state) && !"STARTING".equals(state);
    }
    return down ? "DOWN" : starting ? "STARTING" : "UP";
  }
}
