package dev.memgate.mcp.tools;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.Fields;
import dev.memgate.contract.MemoryBus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * How one of the user's memories changed: each add, update and delete, oldest first. Ownership is proven by the
 * memory itself, so the history of a memory that is already deleted cannot be shown here (it names no user).
 */
final class MemoryHistoryTool implements McpTool {
  private final BusClient bus;
  private final OwnedMemories memories;
  private final ToolLimits limits;

  MemoryHistoryTool(BusClient bus, OwnedMemories memories, ToolLimits limits) {
    this.bus = bus;
    this.memories = memories;
    this.limits = limits;
  }

  @Override
  public ToolSpec spec() {
    return new ToolSpec("memory_history", "Memory history",
      "Show how one of the user's memories changed over time: each add and update, oldest first.",
      Schemas.arguments(new JsonObject().put(Fields.MEMORY_ID, Schemas.memoryId(limits)), Fields.MEMORY_ID),
      Schemas.output(new JsonObject().put(Fields.RESULTS, Schemas.arrayOf(Schemas.output(new JsonObject()
          .put(Fields.ID, Schemas.type("string"))
          .put(Fields.MEMORY_ID, Schemas.type("string"))
          .put(Fields.OLD_MEMORY, Schemas.nullable("string"))
          .put(Fields.NEW_MEMORY, Schemas.nullable("string"))
          .put(Fields.EVENT, Schemas.type("string"))
          .put(Fields.CREATED_AT, Schemas.nullable("string"))
          .put(Fields.UPDATED_AT, Schemas.nullable("string"))
          .put(Fields.IS_DELETED, Schemas.type("boolean"))
          .put(Fields.ACTOR_ID, Schemas.nullable("string"))
          .put(Fields.ROLE, Schemas.nullable("string")),
        Fields.ID, Fields.MEMORY_ID, Fields.EVENT))),
        Fields.RESULTS),
      ToolAnnotations.READ_ONLY);
  }

  @Override
  public Future<JsonObject> call(ToolCall call) {
    String id = call.arguments().getString(Fields.MEMORY_ID);
    return memories.fetch(id, call.userId())
      .compose(owned -> bus.request(MemoryBus.HISTORY, call.asCaller(new JsonObject().put(Fields.MEMORY_ID, id)),
        MemoryBus.TIMEOUT_MS));
  }
}
