package dev.memgate.contract;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * Whose memories: any of user, agent and run. Reads match memories whose ids equal every id given here (an absent
 * id matches anything); de-duplication compares the exact triple.
 */
public record Scope(String userId, String agentId, String runId) {

  public boolean isEmpty() {
    return userId == null && agentId == null && runId == null;
  }

  /** Reads user_id, agent_id and run_id from a request or item; empty strings count as absent. */
  public static Scope from(JsonObject json) {
    return new Scope(clean(json.getValue(Fields.USER_ID)), clean(json.getValue(Fields.AGENT_ID)),
      clean(json.getValue(Fields.RUN_ID)));
  }

  private static String clean(Object value) {
    if (value == null) {
      return null;
    }
    String text = value.toString().trim();
    return text.isEmpty() ? null : text;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (userId != null) {
      json.put(Fields.USER_ID, userId);
    }
    if (agentId != null) {
      json.put(Fields.AGENT_ID, agentId);
    }
    if (runId != null) {
      json.put(Fields.RUN_ID, runId);
    }
    return json;
  }

  /** Read semantics: whether a memory stored under {@code memory} is one of this scope's (every id given equals). */
  public boolean covers(Scope memory) {
    return (userId == null || userId.equals(memory.userId()))
      && (agentId == null || agentId.equals(memory.agentId()))
      && (runId == null || runId.equals(memory.runId()));
  }

  /** A single key for the exact triple, used to find duplicates. */
  public String key() {
    return "u=" + Objects.toString(userId, "") + "\u0000a=" + Objects.toString(agentId, "") + "\u0000r="
      + Objects.toString(runId, "");
  }
}
