package dev.memgate.mcp.tools;

import dev.memgate.contract.Fields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** One of the user's memories by id. */
final class GetMemoryTool implements McpTool {
  private final OwnedMemories memories;
  private final ToolLimits limits;
  private final JsonObject memoryItem;

  GetMemoryTool(OwnedMemories memories, ToolLimits limits, JsonObject memoryItem) {
    this.memories = memories;
    this.limits = limits;
    this.memoryItem = memoryItem;
  }

  @Override
  public ToolSpec spec() {
    return new ToolSpec("get_memory", "Get a memory",
      "Fetch one of the user's memories by id.",
      Schemas.arguments(new JsonObject().put(Fields.MEMORY_ID, Schemas.memoryId(limits)), Fields.MEMORY_ID),
      memoryItem.copy(),
      ToolAnnotations.READ_ONLY);
  }

  @Override
  public Future<JsonObject> call(ToolCall call) {
    return memories.fetch(call.arguments().getString(Fields.MEMORY_ID), call.userId());
  }
}
