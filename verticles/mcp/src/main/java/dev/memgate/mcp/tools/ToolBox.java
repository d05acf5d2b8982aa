package dev.memgate.mcp.tools;

import dev.memgate.access.Caller;
import dev.memgate.contract.BusClient;
import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.BusFailureException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tools on offer, in the order tools/list shows them, and the one way they are called: arguments checked
 * against the input schema, the tool run for the session's user, and every outcome turned into a tool result.
 */
public final class ToolBox {
  private static final Logger LOG = LoggerFactory.getLogger(ToolBox.class);

  private final Map<String, McpTool> tools = new LinkedHashMap<>();
  private final Map<String, ArgumentCheck> checks = new LinkedHashMap<>();
  private final List<JsonObject> descriptors;

  public ToolBox(List<McpTool> offered) {
    for (McpTool tool : offered) {
      ToolSpec spec = tool.spec();
      if (tools.put(spec.name(), tool) != null) {
        throw new IllegalArgumentException("two tools named " + spec.name());
      }
      checks.put(spec.name(), new ArgumentCheck(spec.name(), spec.inputSchema()));
    }
    descriptors = tools.values().stream().map(t -> t.spec().toJson()).toList();
  }

  /**
   * OpenMemory's five tools plus get, update and history, all forwarding to the memory service; and search_graph
   * when a graph store is on.
   *
   * @param limits       the memory service's limits, which the input schemas declare
   * @param memoryItem   the JSON Schema of a memory item (the OpenAPI contract's {@code Memory}), which the output
   *                     schemas of the tools that return memories use as it is
   * @param addTimeoutMs how long add_memories waits for the service (an inferred add may take minutes)
   */
  public static ToolBox memoryTools(BusClient bus, boolean graph, ToolLimits limits, JsonObject memoryItem,
                                    long addTimeoutMs) {
    OwnedMemories owned = new OwnedMemories(bus);
    List<McpTool> tools = new java.util.ArrayList<>(List.of(
      new AddMemoriesTool(bus, limits, addTimeoutMs),
      new SearchMemoryTool(bus, limits, memoryItem),
      new ListMemoriesTool(bus, limits, memoryItem),
      new DeleteMemoriesTool(bus, owned, limits),
      new DeleteAllMemoriesTool(bus),
      new GetMemoryTool(owned, limits, memoryItem),
      new UpdateMemoryTool(bus, owned, limits, memoryItem),
      new MemoryHistoryTool(bus, owned, limits)));
    if (graph) {
      tools.add(new SearchGraphTool(bus, limits));
    }
    return new ToolBox(tools);
  }

  /** The tools/list entries, in order. */
  public List<JsonObject> descriptors() {
    return descriptors;
  }

  public boolean has(String name) {
    return tools.containsKey(name);
  }

  /** Whether a tool that exists only reads (its {@code readOnlyHint}): what decides the budget a call spends. */
  public boolean readOnly(String name) {
    return tools.get(name).spec().annotations().readOnly();
  }

  /**
   * Runs a tool that exists. The result is always a {@code CallToolResult}: failures of any kind become
   * {@code isError:true} with an explanation.
   */
  public Future<JsonObject> call(String name, JsonObject arguments, String userId, String clientName, Caller caller) {
    String problem = checks.get(name).problem(arguments);
    if (problem != null) {
      return Future.succeededFuture(ToolResults.error(problem));
    }
    Future<JsonObject> outcome;
    try {
      outcome = tools.get(name).call(new ToolCall(arguments, userId, clientName, caller));
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    return outcome.transform(done -> {
      if (done.succeeded()) {
        return Future.succeededFuture(ToolResults.success(done.result()));
      }
      Throwable cause = done.cause();
      BusFailure failure = BusFailure.from(cause);
      if (failure.error() == BusError.INTERNAL && !(cause instanceof BusFailureException)) {
        LOG.error("tool {} failed", name, cause);
      }
      return Future.succeededFuture(ToolResults.error(failure));
    });
  }
}
