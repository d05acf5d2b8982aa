package dev.memgate.mcp.tools;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Small builders for the tools' JSON Schemas (2020-12, MCP's default dialect), and the shapes of the memory
 * service's replies that several tools return. The memory item itself is not described here: it is the OpenAPI
 * contract's {@code Memory} schema, handed over in the configuration, so that REST and MCP describe one item.
 * Output schemas leave additional properties open, so that a reply growing a field stays valid for clients that
 * check it.
 */
final class Schemas {
  private Schemas() {
  }

  /** An object with exactly these properties: anything else is refused, so a misspelt argument is never ignored. */
  static JsonObject arguments(JsonObject properties, String... required) {
    JsonObject schema = new JsonObject().put("type", "object").put("properties", properties)
      .put("additionalProperties", false);
    if (required.length > 0) {
      schema.put("required", new JsonArray(java.util.List.of((Object[]) required)));
    }
    return schema;
  }

  static JsonObject noArguments() {
    return arguments(new JsonObject());
  }

  static JsonObject output(JsonObject properties, String... required) {
    JsonObject schema = new JsonObject().put("type", "object").put("properties", properties);
    if (required.length > 0) {
      schema.put("required", new JsonArray(java.util.List.of((Object[]) required)));
    }
    return schema;
  }

  static JsonObject string(String description) {
    return new JsonObject().put("type", "string").put("description", description);
  }

  static JsonObject nonEmptyString(String description) {
    return string(description).put("minLength", 1);
  }

  /** A non-empty string of at most {@code maxLength} characters: the limit the memory service enforces. */
  static JsonObject text(String description, int maxLength) {
    return nonEmptyString(description).put("maxLength", maxLength);
  }

  static JsonObject type(String type) {
    return new JsonObject().put("type", type);
  }

  static JsonObject nullable(String type) {
    return new JsonObject().put("type", new JsonArray().add(type).add("null"));
  }

  static JsonObject arrayOf(JsonObject items) {
    return new JsonObject().put("type", "array").put("items", items);
  }

  static JsonObject limit(String description, ToolLimits limits) {
    return new JsonObject().put("type", "integer").put("minimum", 1).put("maximum", limits.maxLimit())
      .put("description", description);
  }

  static JsonObject memoryId(ToolLimits limits) {
    return text("The memory's id, as search_memory or list_memories returned it.", limits.maxIdChars());
  }

  /** {results:[item]}: what search and list return, with the memory item's schema as it was given. */
  static JsonObject memoryList(JsonObject memoryItem) {
    return output(new JsonObject().put("results", arrayOf(memoryItem.copy())), "results");
  }
}
