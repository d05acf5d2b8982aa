package dev.memgate.vector;

import io.vertx.core.json.JsonObject;

/** PUT merges metadata: given keys replace, a null value removes the key, keys not given stay. */
public final class MetadataMerge {
  private MetadataMerge() {
  }

  public static JsonObject merge(JsonObject current, JsonObject patch) {
    JsonObject merged = current == null ? new JsonObject() : current.copy();
    if (patch == null) {
      return merged;
    }
    patch.forEach(entry -> {
      if (entry.getValue() == null) {
        merged.remove(entry.getKey());
      } else {
        merged.put(entry.getKey(), entry.getValue());
      }
    });
    return merged;
  }
}
