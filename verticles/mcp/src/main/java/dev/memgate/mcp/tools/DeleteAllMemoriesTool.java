package dev.memgate.mcp.tools;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.Fields;
import dev.memgate.contract.MemoryBus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** OpenMemory's {@code delete_all_memories()}: every memory of the session's user, and only of that user. */
final class DeleteAllMemoriesTool implements McpTool {
  private final BusClient bus;

  DeleteAllMemoriesTool(BusClient bus) {
    this.bus = bus;
  }

  @Override
  public ToolSpec spec() {
    return new ToolSpec("delete_all_memories", "Forget everything",
      "Delete every memory of this user. Only when the user explicitly asks to forget everything: it cannot be "
        + "undone.",
      Schemas.noArguments(),
      Schemas.output(new JsonObject()
          .put(Fields.MESSAGE, Schemas.type("string"))
          .put("deleted", Schemas.type("integer")),
        Fields.MESSAGE, "deleted"),
      ToolAnnotations.write(true, true));
  }

  @Override
  public Future<JsonObject> call(ToolCall call) {
    return bus.request(MemoryBus.DELETE_ALL, call.asCaller(new JsonObject().put(Fields.USER_ID, call.userId())),
      MemoryBus.TIMEOUT_MS);
  }
}
