package dev.memgate.graph.extract;

import dev.memgate.contract.LlmBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.Set;

/** The optional LLM call of a search: the entities the query is about. */
public final class QueryEntities {
  public static final String PURPOSE = "graph_query_entities";
  static final JsonObject SCHEMA = Schemas.object(new JsonObject().put("entities", Schemas.arrayOf(Schemas.string())));

  private QueryEntities() {
  }

  public static JsonObject request(String self, String query) {
    return new JsonObject()
      .put(LlmBus.SYSTEM, GraphPrompts.fill(GraphPrompts.QUERY_ENTITIES, self))
      .put(LlmBus.MESSAGES, new JsonArray().add(new JsonObject().put(LlmBus.ROLE, "user")
        .put(LlmBus.CONTENT, "Query: " + query)))
      .put(LlmBus.OUTPUT, new JsonObject().put(LlmBus.OUTPUT_NAME, PURPOSE)
        .put(LlmBus.OUTPUT_DESCRIPTION, "The entities the query is about")
        .put(LlmBus.OUTPUT_SCHEMA, SCHEMA))
      .put(LlmBus.PURPOSE, PURPOSE)
      .put(LlmBus.MAX_TOKENS, 200);
  }

  /** Normalised names; an unreadable reply is simply no names (search then matches by the query's own words). */
  public static Set<String> read(JsonObject reply, String self) {
    Set<String> names = new LinkedHashSet<>();
    JsonObject json = reply.getJsonObject(LlmBus.JSON, new JsonObject());
    if (json.getValue("entities") instanceof JsonArray list) {
      for (Object item : list) {
        Object raw = item instanceof JsonObject object ? object.getValue("name") : item;
        String name = Extraction.name(raw, self);
        if (name != null) {
          names.add(name);
        }
      }
    }
    return names;
  }
}
