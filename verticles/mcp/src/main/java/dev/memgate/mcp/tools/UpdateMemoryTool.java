package dev.memgate.mcp.tools;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.Fields;
import dev.memgate.contract.MemoryBus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Changes one of the user's memories in place: new text, metadata merged in, or both; its history keeps the old. */
final class UpdateMemoryTool implements McpTool {
  private final BusClient bus;
  private final OwnedMemories memories;
  private final ToolLimits limits;
  private final JsonObject memoryItem;

  UpdateMemoryTool(BusClient bus, OwnedMemories memories, ToolLimits limits, JsonObject memoryItem) {
    this.bus = bus;
    this.memories = memories;
    this.limits = limits;
    this.memoryItem = memoryItem;
  }

  @Override
  public ToolSpec spec() {
    return new ToolSpec("update_memory", "Update a memory",
      "Replace the text of one of the user's memories when a fact changed (\"moved from Lisbon to Porto\"), keeping "
        + "its id and history. Metadata given here is merged into the memory's metadata; a null value removes a key.",
      Schemas.arguments(new JsonObject()
          .put(Fields.MEMORY_ID, Schemas.memoryId(limits))
          .put(Fields.TEXT, Schemas.text("The memory's new text.", limits.maxTextChars()))
          .put(Fields.METADATA, Schemas.type("object").put("description", "Keys to set (or, with null, remove).")),
        Fields.MEMORY_ID),
      Schemas.output(new JsonObject()
          .put(Fields.MESSAGE, Schemas.type("string"))
          .put(Fields.MEMORY, memoryItem.copy())
          .put(Fields.PREVIOUS_MEMORY, Schemas.nullable("string")),
        Fields.MESSAGE, Fields.MEMORY),
      ToolAnnotations.write(true, false));
  }

  @Override
  public Future<JsonObject> call(ToolCall call) {
    JsonObject arguments = call.arguments();
    String id = arguments.getString(Fields.MEMORY_ID);
    return memories.fetch(id, call.userId()).compose(owned -> {
      JsonObject request = new JsonObject().put(Fields.MEMORY_ID, id);
      for (String field : new String[] {Fields.TEXT, Fields.METADATA}) {
        if (arguments.containsKey(field)) {
          request.put(field, arguments.getValue(field));
        }
      }
      return bus.request(MemoryBus.UPDATE, call.asCaller(request), MemoryBus.TIMEOUT_MS);
    });
  }
}
