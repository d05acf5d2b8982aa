package dev.memgate.vector;

import dev.memgate.contract.Fields;
import io.vertx.core.json.JsonObject;

/** One change to a memory, as mem0's history table records it. */
public record HistoryEntry(String id, String memoryId, String oldMemory, String newMemory, String event,
                           String createdAt, String updatedAt, boolean isDeleted, String actorId, String role) {

  public static final String ADD = "ADD";
  public static final String UPDATE = "UPDATE";
  public static final String DELETE = "DELETE";

  public JsonObject toJson() {
    return new JsonObject()
      .put(Fields.ID, id)
      .put(Fields.MEMORY_ID, memoryId)
      .put(Fields.OLD_MEMORY, oldMemory)
      .put(Fields.NEW_MEMORY, newMemory)
      .put(Fields.EVENT, event)
      .put(Fields.CREATED_AT, createdAt)
      .put(Fields.UPDATED_AT, updatedAt)
      .put(Fields.IS_DELETED, isDeleted)
      .put(Fields.ACTOR_ID, actorId)
      .put(Fields.ROLE, role);
  }
}
