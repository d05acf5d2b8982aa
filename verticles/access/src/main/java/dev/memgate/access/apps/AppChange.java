package dev.memgate.access.apps;

import dev.memgate.access.Caller.MemoryAccess;
import dev.memgate.contract.BusFailure;
import io.vertx.core.json.JsonObject;

/**
 * What an operator may change on an app, checked whole before anything is stored: {@code paused} (true or false)
 * and {@code memory_access} ({@code all} or {@code own}), at least one of them.
 */
public final class AppChange {
  private AppChange() {
  }

  /** The changes as the store merges them into the app. */
  public static JsonObject from(JsonObject body) {
    JsonObject changes = new JsonObject();
    Object paused = body.getValue("paused");
    if (paused != null) {
      if (!(paused instanceof Boolean)) {
        throw bad("paused", "paused must be true or false");
      }
      changes.put("paused", paused);
    }
    Object access = body.getValue("memory_access");
    if (access != null) {
      if (!"all".equals(access) && !"own".equals(access)) {
        throw bad("memory_access", "memory_access must be all (read every app's memories) or own (only the "
          + "memories this app wrote)");
      }
      changes.put("memory_access", MemoryAccess.fromWire((String) access).wireName());
    }
    if (changes.isEmpty()) {
      throw bad("paused", "give paused, memory_access or both");
    }
    return changes;
  }

  private static RuntimeException bad(String field, String detail) {
    return BusFailure.badInput(field, detail).toException();
  }
}
