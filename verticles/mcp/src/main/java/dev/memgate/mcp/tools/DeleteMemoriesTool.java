package dev.memgate.mcp.tools;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.Fields;
import dev.memgate.contract.MemoryBus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * OpenMemory's {@code delete_memories(memory_ids)}. Every id is checked first: when one is unknown (or another
 * user's), nothing is deleted and the answer names the ids at fault, so the model can retry with the right ones.
 */
final class DeleteMemoriesTool implements McpTool {
  static final int MAX_IDS = 1_000;
  private static final String MEMORY_IDS = "memory_ids";

  private final BusClient bus;
  private final OwnedMemories memories;
  private final ToolLimits limits;

  DeleteMemoriesTool(BusClient bus, OwnedMemories memories, ToolLimits limits) {
    this.bus = bus;
    this.memories = memories;
    this.limits = limits;
  }

  @Override
  public ToolSpec spec() {
    return new ToolSpec("delete_memories", "Forget memories",
      "Delete some of the user's memories by id (ids come from search_memory or list_memories). Use when the user "
        + "asks to forget something or a memory is wrong. If any id is unknown, nothing is deleted.",
      Schemas.arguments(new JsonObject().put(MEMORY_IDS, Schemas.arrayOf(Schemas.memoryId(limits))
          .put("minItems", 1).put("maxItems", MAX_IDS).put("description", "The ids of the memories to delete.")),
        MEMORY_IDS),
      Schemas.output(new JsonObject()
          .put(Fields.MESSAGE, Schemas.type("string"))
          .put("deleted", Schemas.arrayOf(Schemas.type("string"))),
        Fields.MESSAGE, "deleted"),
      ToolAnnotations.write(true, true));
  }

  @Override
  public Future<JsonObject> call(ToolCall call) {
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(call.arguments().getJsonArray(MEMORY_IDS).stream()
      .map(String.class::cast).toList()));
    List<Future<JsonObject>> checks = ids.stream().map(id -> memories.fetch(id, call.userId())).toList();
    return Future.join(checks).transform(done -> {
      List<String> unknown = new ArrayList<>();
      for (int i = 0; i < checks.size(); i++) {
        if (checks.get(i).failed()) {
          BusFailure failure = BusFailure.from(checks.get(i).cause());
          if (failure.error() != BusError.NOT_FOUND) {
            return Future.failedFuture(failure.toException());
          }
          unknown.add(ids.get(i));
        }
      }
      if (!unknown.isEmpty()) {
        return Future.failedFuture(BusFailure.notFound("no memory with id " + String.join(", ", unknown)
          + " for this user; nothing was deleted").toException());
      }
      List<Future<JsonObject>> deletes = ids.stream().map(id -> bus.request(MemoryBus.DELETE,
        call.asCaller(new JsonObject().put(Fields.MEMORY_ID, id)), MemoryBus.TIMEOUT_MS)).toList();
      return Future.all(deletes).map(all -> new JsonObject()
        .put(Fields.MESSAGE, "Deleted " + ids.size() + (ids.size() == 1 ? " memory" : " memories"))
        .put("deleted", new JsonArray(new ArrayList<>(ids))));
    });
  }
}
