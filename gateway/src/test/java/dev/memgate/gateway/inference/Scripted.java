package dev.memgate.gateway.inference;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.FakeLlmServer;
import dev.memgate.gateway.testing.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Small helpers shared by the inference scenarios: scripted model answers, adds, and reading the store back. */
final class Scripted {
  private Scripted() {
  }

  static String newUser() {
    return "user-" + UUID.randomUUID();
  }

  static String today() {
    return LocalDate.now(ZoneOffset.UTC).toString();
  }

  /** The model's answer to an extraction call. */
  static String facts(String... facts) {
    return new JsonObject().put("facts", new JsonArray(java.util.List.of((Object[]) facts))).encode();
  }

  /** One decision of the model's answer to a decision call. */
  static JsonObject decision(int fact, String event, String id, String text) {
    return new JsonObject().put("fact", fact).put("event", event).put("id", id).put("text", text);
  }

  static String decisions(JsonObject... decisions) {
    return new JsonObject().put("decisions", new JsonArray(java.util.List.of((Object[]) decisions))).encode();
  }

  /** The existing memories as the decision prompt showed them: [{id, text}]. */
  static JsonArray existingShown(FakeLlmServer.Call call) {
    String user = call.user();
    int start = user.indexOf("Existing memories:\n") + "Existing memories:\n".length();
    int end = user.indexOf("\n\nNew facts:");
    return new JsonArray(user.substring(start, end));
  }

  static JsonObject userSays(String userId, String text) {
    return new JsonObject()
      .put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", text))
        .add(new JsonObject().put("role", "assistant").put("content", "Noted!")))
      .put("user_id", userId);
  }

  static Reply add(Api api, String userId, String text) {
    return api.post("/memories", userSays(userId, text));
  }

  static JsonObject addOk(Api api, String userId, String text) {
    Reply reply = add(api, userId, text);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.json();
  }

  /** The memories of a user, newest first. */
  static JsonArray stored(Api api, String userId) {
    Reply reply = api.get("/memories?user_id=" + Api.q(userId));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.json().getJsonArray("results");
  }

  static java.util.List<String> texts(JsonArray memories) {
    return memories.stream().map(m -> ((JsonObject) m).getString("memory")).toList();
  }

  static java.util.List<String> events(Api api, String memoryId) {
    return api.get("/memories/" + memoryId + "/history").jsonArray().stream()
      .map(row -> ((JsonObject) row).getString("event")).toList();
  }

  static JsonObject llmHealth(Api api) {
    return api.get("/health").json().getJsonObject("components").getJsonObject("llm");
  }
}
