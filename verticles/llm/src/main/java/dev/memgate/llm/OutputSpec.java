package dev.memgate.llm;

import dev.memgate.contract.LlmBus;
import io.vertx.core.json.JsonObject;

/** The JSON a caller wants back: a name (the tool or schema name), what it is for, and its JSON schema. */
public record OutputSpec(String name, String description, JsonObject schema) {

  static OutputSpec from(JsonObject json) {
    if (json == null) {
      return null;
    }
    String name = json.getString(LlmBus.OUTPUT_NAME, "reply");
    JsonObject schema = json.getJsonObject(LlmBus.OUTPUT_SCHEMA);
    if (schema == null || !name.matches("[a-zA-Z0-9_-]{1,64}")) {
      throw new IllegalArgumentException("output needs a name of letters, digits, _ or - and a schema");
    }
    return new OutputSpec(name, json.getString(LlmBus.OUTPUT_DESCRIPTION, name), schema);
  }
}
