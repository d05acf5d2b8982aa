package dev.memgate.mcp.tools;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.Fields;
import dev.memgate.contract.MemoryBus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Memory ids are global, but an MCP session acts for one user: a tool may read or change a memory only when it
 * belongs to the session's user. Another user's memory is answered exactly like a missing one, so ids cannot be
 * probed across users.
 */
final class OwnedMemories {
  private final BusClient bus;

  OwnedMemories(BusClient bus) {
    this.bus = bus;
  }

  /** The memory, when it exists and belongs to the user; otherwise a not-found failure. */
  Future<JsonObject> fetch(String memoryId, String userId) {
    return bus.request(MemoryBus.GET, new JsonObject().put(Fields.MEMORY_ID, memoryId), MemoryBus.TIMEOUT_MS)
      .compose(item -> userId.equals(item.getString(Fields.USER_ID))
        ? Future.succeededFuture(item)
        : Future.failedFuture(BusFailure.notFound("no memory with id " + memoryId).toException()));
  }
}
