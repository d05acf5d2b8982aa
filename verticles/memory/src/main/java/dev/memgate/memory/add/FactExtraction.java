package dev.memgate.memory.add;

import dev.memgate.contract.BusFailure;
import dev.memgate.contract.LlmBus;
import dev.memgate.memory.ChatMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** LLM call 1: the conversation in, a list of short facts out. */
final class FactExtraction {
  static final String PURPOSE = "extract_facts";
  static final JsonObject SCHEMA = new JsonObject()
    .put("type", "object")
    .put("properties", new JsonObject().put("facts", new JsonObject()
      .put("type", "array").put("items", new JsonObject().put("type", "string"))))
    .put("required", new JsonArray().add("facts"))
    .put("additionalProperties", false);

  private FactExtraction() {
  }

  /**
   * Agent facts when the conversation is only the agent's (agent_id without user_id) and the assistant speaks;
   * otherwise facts about the user. (mem0 switches to agent facts whenever agent_id is given, and then drops what
   * the user said about themselves in a user-and-agent conversation.)
   */
  static boolean aboutAgent(AddRequest request) {
    return request.scope().agentId() != null && request.scope().userId() == null
      && request.conversation().stream().anyMatch(m -> "assistant".equals(m.role()));
  }

  static JsonObject request(AddRequest request, Prompts prompts, LocalDate today) {
    return new JsonObject()
      .put(LlmBus.SYSTEM, prompts.extraction(aboutAgent(request), today))
      .put(LlmBus.MESSAGES, new JsonArray().add(new JsonObject().put(LlmBus.ROLE, "user")
        .put(LlmBus.CONTENT, "Conversation:\n" + transcript(request.conversation()))))
      .put(LlmBus.OUTPUT, new JsonObject().put(LlmBus.OUTPUT_NAME, "facts")
        .put(LlmBus.OUTPUT_DESCRIPTION, "The facts worth remembering from the conversation")
        .put(LlmBus.OUTPUT_SCHEMA, SCHEMA))
      .put(LlmBus.PURPOSE, PURPOSE);
  }

  /** One "role: content" line per message, as mem0 flattens a conversation. */
  static String transcript(List<ChatMessage> messages) {
    StringBuilder text = new StringBuilder();
    for (ChatMessage message : messages) {
      text.append(message.role()).append(": ").append(message.content().strip()).append('\n');
    }
    return text.toString();
  }

  /**
   * The facts of the reply, cleaned and without repeats. A reply without a list of facts is an error naming the
   * provider: an unreadable reply must never pass for "nothing to remember".
   */
  static List<String> read(JsonObject reply, int maxChars) {
    JsonObject json = reply.getJsonObject(LlmBus.JSON, new JsonObject());
    Object raw = json.getValue("facts");
    if (!(raw instanceof JsonArray list)) {
      throw BusFailure.unavailable("llm:" + reply.getString(LlmBus.PROVIDER),
        "the model's reply has no \"facts\" list: " + excerpt(json)).toException();
    }
    Map<String, String> facts = new LinkedHashMap<>();
    for (Object item : list) {
      Object text = item instanceof JsonObject object ? object.getValue("fact", object.getValue("text")) : item;
      String fact = FactText.clean(text, maxChars);
      if (fact != null) {
        facts.putIfAbsent(FactText.normalized(fact), fact);
      }
    }
    return new ArrayList<>(facts.values());
  }

  static String excerpt(JsonObject json) {
    String text = json.encode();
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
