package dev.memgate.mcp.tools;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.Fields;
import dev.memgate.contract.MemoryBus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** OpenMemory's {@code list_memories()}, with an optional limit: the user's memories, newest first. */
final class ListMemoriesTool implements McpTool {
  private final BusClient bus;
  private final ToolLimits limits;
  private final JsonObject memoryItem;

  ListMemoriesTool(BusClient bus, ToolLimits limits, JsonObject memoryItem) {
    this.bus = bus;
    this.limits = limits;
    this.memoryItem = memoryItem;
  }

  @Override
  public ToolSpec spec() {
    return new ToolSpec("list_memories", "List memories",
      "List the user's memories, newest first. To find something specific, use search_memory instead.",
      Schemas.arguments(new JsonObject()
        .put("limit", Schemas.limit("Most memories to return (default " + limits.defaultListLimit() + ").",
          limits))),
      Schemas.memoryList(memoryItem),
      ToolAnnotations.READ_ONLY);
  }

  @Override
  public Future<JsonObject> call(ToolCall call) {
    JsonObject request = new JsonObject().put(Fields.USER_ID, call.userId());
    if (call.arguments().containsKey(Fields.LIMIT)) {
      request.put(Fields.LIMIT, call.arguments().getValue(Fields.LIMIT));
    }
    return bus.request(MemoryBus.LIST, call.asCaller(request), MemoryBus.TIMEOUT_MS);
  }
}
