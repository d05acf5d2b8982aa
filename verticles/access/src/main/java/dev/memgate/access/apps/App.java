package dev.memgate.access.apps;

import dev.memgate.access.Caller.MemoryAccess;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * A client app (OpenMemory's "apps": "claude-desktop", "cursor", a back end), known from the moment a key names it.
 * The operator can pause it (its keys are then refused with 403 until it is resumed) and limit what its keys read
 * to the memories it wrote itself ({@code memory_access: own}).
 *
 * @param lastUsedAt when one of its keys was last used (to the minute), or null
 */
public record App(String name, boolean paused, MemoryAccess memoryAccess, Instant createdAt, Instant lastUsedAt) {

  /** A newly named app: active, reading every app's memories. */
  public static App named(String name, Instant at) {
    return new App(name, false, MemoryAccess.ALL, at, null);
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("paused", paused).put("memory_access", memoryAccess.wireName())
      .put("created_at", createdAt.toString()).put("last_used_at", lastUsedAt == null ? null : lastUsedAt.toString());
  }

  public static App fromJson(JsonObject json) {
    String lastUsed = json.getString("last_used_at");
    return new App(json.getString("name"), json.getBoolean("paused", false),
      MemoryAccess.fromWire(json.getString("memory_access", "all")), Instant.parse(json.getString("created_at")),
      lastUsed == null ? null : Instant.parse(lastUsed));
  }

  /** This app with the fields of {@code changes} ({@code paused}, {@code memory_access}, {@code last_used_at}). */
  public App with(JsonObject changes) {
    return fromJson(toJson().mergeIn(changes));
  }
}
