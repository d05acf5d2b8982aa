package dev.memgate.llm;

import dev.memgate.contract.BusFailure;
import dev.memgate.contract.LlmBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** One chat completion to ask for; {@code output} is null for plain text. */
public record ChatRequest(String system, List<Message> messages, OutputSpec output, String purpose,
                          double temperature, int maxTokens) {

  public record Message(String role, String content) {
  }

  static ChatRequest from(JsonObject body, double defaultTemperature, int defaultMaxTokens) {
    JsonArray raw = body.getJsonArray(LlmBus.MESSAGES);
    if (raw == null || raw.isEmpty()) {
      throw BusFailure.badInput(LlmBus.MESSAGES, "a chat needs at least one message").toException();
    }
    List<Message> messages = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      JsonObject message = raw.getJsonObject(i);
      String role = message.getString(LlmBus.ROLE, "user");
      if (!role.equals("user") && !role.equals("assistant")) {
        throw BusFailure.badInput(LlmBus.MESSAGES + "[" + i + "].role", "role must be user or assistant")
          .toException();
      }
      messages.add(new Message(role, message.getString(LlmBus.CONTENT, "")));
    }
    OutputSpec output;
    try {
      output = OutputSpec.from(body.getJsonObject(LlmBus.OUTPUT));
    } catch (IllegalArgumentException e) {
      throw BusFailure.badInput(LlmBus.OUTPUT, e.getMessage()).toException();
    }
    Number temperature = body.getNumber(LlmBus.TEMPERATURE);
    Integer maxTokens = body.getInteger(LlmBus.MAX_TOKENS);
    return new ChatRequest(body.getString(LlmBus.SYSTEM, ""), List.copyOf(messages), output,
      body.getString(LlmBus.PURPOSE, "chat"), temperature == null ? defaultTemperature : temperature.doubleValue(),
      maxTokens == null ? defaultMaxTokens : maxTokens);
  }
}
