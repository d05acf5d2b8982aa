package dev.memgate.graph.extract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** JSON schemas of the graph's structured outputs, strict-mode friendly (every property required, no extras). */
final class Schemas {
  private Schemas() {
  }

  static JsonObject object(JsonObject properties) {
    return new JsonObject().put("type", "object").put("properties", properties)
      .put("required", new JsonArray(properties.fieldNames().stream().map(n -> (Object) n).toList()))
      .put("additionalProperties", false);
  }

  static JsonObject arrayOf(JsonObject items) {
    return new JsonObject().put("type", "array").put("items", items);
  }

  static JsonObject string() {
    return new JsonObject().put("type", "string");
  }

  static JsonObject nullableString() {
    return new JsonObject().put("type", new JsonArray().add("string").add("null"));
  }

  static JsonObject integer() {
    return new JsonObject().put("type", "integer");
  }
}
