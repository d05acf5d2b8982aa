package dev.memgate.vector;

import dev.memgate.contract.Fields;
import dev.memgate.contract.Scope;
import dev.memgate.contract.VectorBus;
import dev.memgate.contract.Vectors;
import io.vertx.core.json.JsonObject;

/**
 * One memory as the stores keep it: its text, scope, who said it, free metadata, timestamps and vector.
 * {@link #toItem()} gives mem0's output item.
 */
public record MemoryRecord(String id, String text, String hash, Scope scope, String actorId, String role,
                           JsonObject metadata, String createdAt, String updatedAt, float[] vector) {

  public static MemoryRecord fromBus(JsonObject json) {
    return new MemoryRecord(
      json.getString(Fields.ID),
      json.getString(Fields.MEMORY),
      json.getString(Fields.HASH),
      Scope.from(json),
      json.getString(Fields.ACTOR_ID),
      json.getString(Fields.ROLE),
      json.getJsonObject(Fields.METADATA, new JsonObject()),
      json.getString(Fields.CREATED_AT),
      json.getString(Fields.UPDATED_AT),
      json.containsKey(VectorBus.VECTOR) ? Vectors.fromJson(json.getJsonArray(VectorBus.VECTOR)) : null);
  }

  /** mem0's item: ids promoted to the top level, everything else of the caller's under metadata. */
  public JsonObject toItem() {
    JsonObject item = new JsonObject()
      .put(Fields.ID, id)
      .put(Fields.MEMORY, text)
      .put(Fields.HASH, hash)
      .put(Fields.METADATA, metadata == null ? new JsonObject() : metadata.copy())
      .put(Fields.CREATED_AT, createdAt)
      .put(Fields.UPDATED_AT, updatedAt);
    item.mergeIn(scope.toJson());
    if (actorId != null) {
      item.put(Fields.ACTOR_ID, actorId);
    }
    if (role != null) {
      item.put(Fields.ROLE, role);
    }
    return item;
  }

  /** What filters see: the caller's metadata plus the identity fields and timestamps. */
  public JsonObject filterView() {
    JsonObject view = metadata == null ? new JsonObject() : metadata.copy();
    view.mergeIn(scope.toJson());
    if (actorId != null) {
      view.put(Fields.ACTOR_ID, actorId);
    }
    if (role != null) {
      view.put(Fields.ROLE, role);
    }
    view.put(Fields.CREATED_AT, createdAt);
    view.put(Fields.UPDATED_AT, updatedAt);
    return view;
  }

  public MemoryRecord withText(String newText, String newHash, float[] newVector, String at) {
    return new MemoryRecord(id, newText, newHash, scope, actorId, role, metadata, createdAt, at, newVector);
  }

  public MemoryRecord withMetadata(JsonObject newMetadata, String at) {
    return new MemoryRecord(id, text, hash, scope, actorId, role, newMetadata, createdAt, at, vector);
  }
}
