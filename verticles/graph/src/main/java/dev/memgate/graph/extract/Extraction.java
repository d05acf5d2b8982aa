package dev.memgate.graph.extract;

import dev.memgate.contract.BusFailure;
import dev.memgate.contract.Dates;
import dev.memgate.contract.LlmBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LLM call G1: entities and relations together, in one structured output. What the model answers is cleaned here:
 * names normalised, "I / me / my" mapped to the scope's user, relations whose ends are missing dropped, dates
 * read leniently, every relation's ends listed as entities.
 */
public final class Extraction {
  public static final String PURPOSE = "graph_extraction";
  static final JsonObject SCHEMA = Schemas.object(new JsonObject()
    .put("entities", Schemas.arrayOf(Schemas.object(new JsonObject()
      .put("name", Schemas.string()).put("type", Schemas.string()))))
    .put("relations", Schemas.arrayOf(Schemas.object(new JsonObject()
      .put("source", Schemas.string()).put("relationship", Schemas.string())
      .put("destination", Schemas.string()).put("valid_from", Schemas.nullableString())))));
  private static final int MAX_RELATIONS = 50;

  /** A cleaned relation; valid_from is a timestamp or null. */
  public record Relation(String source, String relationship, String destination, String validFrom) {
    public String text() {
      return Names.words(source) + " " + Names.words(relationship) + " " + Names.words(destination);
    }
  }

  /** Entities (name → type) that are the ends of the relations, and the relations. */
  public record Result(Map<String, String> entities, List<Relation> relations) {
  }

  private Extraction() {
  }

  public static JsonObject request(String self, String conversation) {
    return new JsonObject()
      .put(LlmBus.SYSTEM, GraphPrompts.fill(GraphPrompts.EXTRACTION, self))
      .put(LlmBus.MESSAGES, new JsonArray().add(new JsonObject().put(LlmBus.ROLE, "user")
        .put(LlmBus.CONTENT, "Conversation:\n" + conversation)))
      .put(LlmBus.OUTPUT, new JsonObject().put(LlmBus.OUTPUT_NAME, PURPOSE)
        .put(LlmBus.OUTPUT_DESCRIPTION, "The entities and the relations between them stated in the conversation")
        .put(LlmBus.OUTPUT_SCHEMA, SCHEMA))
      .put(LlmBus.PURPOSE, PURPOSE);
  }

  /** A reply without a relations list is a failure naming the provider, never "nothing to remember". */
  public static Result read(JsonObject reply, String self) {
    JsonObject json = reply.getJsonObject(LlmBus.JSON, new JsonObject());
    if (!(json.getValue("relations") instanceof JsonArray rawRelations)) {
      throw BusFailure.unavailable("llm:" + reply.getString(LlmBus.PROVIDER),
        "the model's graph reply has no \"relations\" list: " + excerpt(json)).toException();
    }
    Map<String, String> types = new LinkedHashMap<>();
    if (json.getValue("entities") instanceof JsonArray rawEntities) {
      for (Object item : rawEntities) {
        if (item instanceof JsonObject entity) {
          String name = name(entity.getValue("name"), self);
          String type = entity.getValue("type") instanceof String t ? Names.normalize(t) : null;
          if (name != null && type != null) {
            types.putIfAbsent(name, type);
          }
        }
      }
    }
    Map<String, Relation> relations = new LinkedHashMap<>();
    for (Object item : rawRelations) {
      if (!(item instanceof JsonObject relation) || relations.size() >= MAX_RELATIONS) {
        continue;
      }
      String source = name(relation.getValue("source"), self);
      String destination = name(relation.getValue("destination"), self);
      String name = relation.getValue("relationship") instanceof String r ? Names.relation(r) : null;
      if (source == null || destination == null || name == null || source.equals(destination)) {
        continue;
      }
      String validFrom = relation.getValue("valid_from") instanceof String date ? Dates.start(date) : null;
      relations.putIfAbsent(source + "\u0000" + name + "\u0000" + destination,
        new Relation(source, name, destination, validFrom));
    }
    Map<String, String> entities = new LinkedHashMap<>();
    for (Relation relation : relations.values()) {
      entities.putIfAbsent(relation.source(), typeOf(relation.source(), types, self));
      entities.putIfAbsent(relation.destination(), typeOf(relation.destination(), types, self));
    }
    return new Result(entities, new ArrayList<>(relations.values()));
  }

  private static String typeOf(String name, Map<String, String> types, String self) {
    return name.equals(self) ? "person" : types.getOrDefault(name, "entity");
  }

  /** A normalised entity name, the user's name for "I / me / my", or null. */
  static String name(Object raw, String self) {
    if (!(raw instanceof String text)) {
      return null;
    }
    String name = Names.normalize(text);
    return Names.isSelf(name) || name != null && name.equals(Names.normalize(self)) ? self : name;
  }

  static String excerpt(JsonObject json) {
    String text = json.encode();
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
