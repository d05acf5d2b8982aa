package dev.memgate.graph.extract;

import dev.memgate.contract.BusFailure;
import dev.memgate.contract.LlmBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * LLM call G2, made only when stored relations related to the new ones exist: which of them the new information
 * makes no longer true. The model sees them under small numbers, never their ids; numbers it invents are ignored.
 * Chosen relations are invalidated, never deleted.
 */
public final class Contradictions {
  public static final String PURPOSE = "graph_contradictions";
  static final JsonObject SCHEMA = Schemas.object(new JsonObject()
    .put("invalidate", Schemas.arrayOf(Schemas.integer())));

  private Contradictions() {
  }

  /**
   * @param stored       [{source, relationship, destination, valid_from}] in the order they are numbered
   * @param newRelations what the text states now
   */
  public static JsonObject request(JsonArray stored, List<Extraction.Relation> newRelations, String conversation) {
    StringBuilder content = new StringBuilder("Stored relations:\n");
    for (int i = 0; i < stored.size(); i++) {
      JsonObject r = stored.getJsonObject(i);
      content.append(i).append(": ").append(r.getString("source")).append(" -- ").append(r.getString("relationship"))
        .append(" -- ").append(r.getString("destination"));
      if (r.getString("valid_from") != null) {
        content.append(" (since ").append(r.getString("valid_from"), 0, 10).append(')');
      }
      content.append('\n');
    }
    content.append("\nNew relations:\n");
    for (Extraction.Relation r : newRelations) {
      content.append(r.source()).append(" -- ").append(r.relationship()).append(" -- ").append(r.destination());
      if (r.validFrom() != null) {
        content.append(" (since ").append(r.validFrom(), 0, 10).append(')');
      }
      content.append('\n');
    }
    content.append("\nNew information:\n").append(conversation);
    return new JsonObject()
      .put(LlmBus.SYSTEM, GraphPrompts.CONTRADICTIONS)
      .put(LlmBus.MESSAGES, new JsonArray().add(new JsonObject().put(LlmBus.ROLE, "user")
        .put(LlmBus.CONTENT, content.toString())))
      .put(LlmBus.OUTPUT, new JsonObject().put(LlmBus.OUTPUT_NAME, PURPOSE)
        .put(LlmBus.OUTPUT_DESCRIPTION, "The numbers of the stored relations that are no longer true")
        .put(LlmBus.OUTPUT_SCHEMA, SCHEMA))
      .put(LlmBus.PURPOSE, PURPOSE);
  }

  /** Positions in {@code stored} to invalidate. */
  public static Set<Integer> read(JsonObject reply, int storedCount) {
    JsonObject json = reply.getJsonObject(LlmBus.JSON, new JsonObject());
    if (!(json.getValue("invalidate") instanceof JsonArray chosen)) {
      throw BusFailure.unavailable("llm:" + reply.getString(LlmBus.PROVIDER),
        "the model's contradiction reply has no \"invalidate\" list: " + Extraction.excerpt(json)).toException();
    }
    Set<Integer> positions = new LinkedHashSet<>();
    for (Object item : chosen) {
      Integer position = item instanceof Number n ? Integer.valueOf(n.intValue())
        : item instanceof String s && s.strip().matches("\\d+") ? Integer.valueOf(s.strip()) : null;
      if (position != null && position >= 0 && position < storedCount) {
        positions.add(position);
      }
    }
    return positions;
  }
}
