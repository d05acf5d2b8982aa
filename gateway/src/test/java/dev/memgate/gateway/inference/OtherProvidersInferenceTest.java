package dev.memgate.gateway.inference;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.FakeLlmServer;
import dev.memgate.gateway.testing.FakeLlmServer.Mode;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.memgate.gateway.inference.Scripted.addOk;
import static dev.memgate.gateway.inference.Scripted.decision;
import static dev.memgate.gateway.inference.Scripted.decisions;
import static dev.memgate.gateway.inference.Scripted.facts;
import static dev.memgate.gateway.inference.Scripted.newUser;
import static dev.memgate.gateway.inference.Scripted.stored;
import static dev.memgate.gateway.inference.Scripted.texts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ollama, Anthropic and the other ways of asking an OpenAI-compatible server for JSON: each provider's exact
 * request, its happy path and a failure.
 */
class OtherProvidersInferenceTest {

  @Test
  void ollamaGetsTheSchemaAsFormatAndItsRepliesUpdateMemories() {
    try (FakeLlmServer fake = new FakeLlmServer();
         RunningService service = RunningService.start(new LuceneStore(), Map.of(
           "LLM_PROVIDER", "ollama", "OLLAMA_BASE_URL", fake.baseUrl("ollama"), "LLM_MODEL", "qwen2.5:7b"))) {
      Api api = service.api();
      String user = newUser();
      fake.script(call -> facts("Lives in Lisbon"));
      addOk(api, user, "I live in Lisbon");
      fake.script(call -> call.isExtraction() ? facts("Moved to Porto in June")
        : decisions(decision(0, "UPDATE", "0", "Lives in Porto since June (before: Lisbon)")));

      JsonObject reply = addOk(api, user, "I moved to Porto in June");

      assertThat(reply.getJsonArray("results").getJsonObject(0).getString("event")).isEqualTo("UPDATE");
      assertThat(texts(stored(api, user))).containsExactly("Lives in Porto since June (before: Lisbon)");
      // The first add found nothing stored, so it made one call: this add's calls are the second and third.
      assertThat(fake.calls()).hasSize(3);
      FakeLlmServer.Call extract = fake.calls().get(1);
      assertThat(extract.path()).isEqualTo("/api/chat");
      assertThat(extract.body().getString("model")).isEqualTo("qwen2.5:7b");
      assertThat(extract.body().getBoolean("stream")).isFalse();
      assertThat(extract.body().getJsonObject("format").getJsonArray("required")).containsExactly("facts");
      assertThat(extract.body().getJsonArray("messages").getJsonObject(0).getString("role")).isEqualTo("system");
      assertThat(extract.system()).contains(Scripted.today());
      assertThat(extract.header("Authorization")).isNull();
      FakeLlmServer.Call decide = fake.calls().get(2);
      assertThat(decide.body().getJsonObject("format").getJsonObject("properties").containsKey("decisions"))
        .isTrue();
    }
  }

  @Test
  void ollamaRepliesWrappedInProseAndFencesAreStillRead() {
    try (FakeLlmServer fake = new FakeLlmServer();
         RunningService service = RunningService.start(new LuceneStore(), Map.of(
           "LLM_PROVIDER", "ollama", "OLLAMA_BASE_URL", fake.baseUrl("ollama")))) {
      Api api = service.api();
      String user = newUser();
      fake.script(call -> "<think>The user has a dog {maybe}.</think>Here you go:\n```json\n"
        + "{\"facts\": [\"Has a dog named Rex\", \"Walks the dog every morning\",],}\n```\nAnything else?");

      addOk(api, user, "My dog Rex and I walk every morning");

      assertThat(texts(stored(api, user))).containsExactlyInAnyOrder("Has a dog named Rex",
        "Walks the dog every morning");
      assertThat(fake.calls().get(0).body().getString("model")).isEqualTo("llama3.1");
    }
  }

  @Test
  void anthropicIsAskedForAForcedToolCallWithItsKeyAndVersion() {
    try (FakeLlmServer fake = new FakeLlmServer().requireKey("sk-ant-test");
         RunningService service = RunningService.start(new LuceneStore(), Map.of(
           "LLM_PROVIDER", "anthropic", "ANTHROPIC_BASE_URL", fake.baseUrl("anthropic"),
           "ANTHROPIC_API_KEY", "sk-ant-test"))) {
      Api api = service.api();
      String user = newUser();
      fake.script(call -> facts("Is learning Japanese"));
      addOk(api, user, "I'm learning Japanese");
      fake.script(call -> call.isExtraction() ? facts("Passed the JLPT N4 exam", "Is learning Japanese")
        : decisions(decision(0, "ADD", "", "Passed the JLPT N4 exam"), decision(1, "NONE", "0", "")));

      JsonObject reply = addOk(api, user, "I'm learning Japanese and just passed the JLPT N4!");

      assertThat(reply.getJsonArray("results")).hasSize(1);
      assertThat(reply.getJsonObject("usage").getInteger("llm_calls")).isEqualTo(2);
      assertThat(texts(stored(api, user))).containsExactlyInAnyOrder("Is learning Japanese",
        "Passed the JLPT N4 exam");
      assertThat(fake.calls()).hasSize(3);
      FakeLlmServer.Call call = fake.calls().get(1);
      assertThat(call.path()).isEqualTo("/v1/messages");
      assertThat(call.header("x-api-key")).isEqualTo("sk-ant-test");
      assertThat(call.header("anthropic-version")).isEqualTo("2023-06-01");
      assertThat(call.body().getString("model")).isEqualTo("claude-haiku-4-5");
      assertThat(call.body().getInteger("max_tokens")).isPositive();
      assertThat(call.system()).contains(Scripted.today());
      JsonObject tool = call.body().getJsonArray("tools").getJsonObject(0);
      assertThat(tool.getString("name")).isEqualTo("facts");
      assertThat(tool.getJsonObject("input_schema").getJsonArray("required")).containsExactly("facts");
      assertThat(call.body().getJsonObject("tool_choice"))
        .isEqualTo(new JsonObject().put("type", "tool").put("name", "facts"));
    }
  }

  @Test
  void anthropic500sAreRetriedThenA503AndNothingIsWritten() {
    try (FakeLlmServer fake = new FakeLlmServer();
         RunningService service = RunningService.start(new LuceneStore(), Map.of(
           "LLM_PROVIDER", "anthropic", "ANTHROPIC_BASE_URL", fake.baseUrl("anthropic"),
           "ANTHROPIC_API_KEY", "sk-ant-test", "MEMGATE_BREAKER_MAX_RETRIES", "2"))) {
      Api api = service.api();
      String user = newUser();
      fake.script(call -> facts("Owns a bakery")).mode(Mode.SERVER_ERROR);

      Reply reply = Scripted.add(api, user, "I own a bakery");

      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.json().getString("dependency")).isEqualTo("llm:anthropic");
      assertThat(reply.json().getString("detail")).contains("HTTP 500").contains("after 3 attempts")
        .doesNotContain("sk-ant-test");
      assertThat(fake.calls()).hasSize(3);
      assertThat(stored(api, user)).isEmpty();
    }
  }

  @Test
  void anOpenAiCompatibleServerWithoutJsonSchemaIsSwitchedToJsonObjectMode() {
    try (FakeLlmServer fake = new FakeLlmServer().mode(Mode.NO_JSON_SCHEMA);
         RunningService service = RunningService.start(new LuceneStore(), Map.of(
           "LLM_PROVIDER", "openai", "OPENAI_BASE_URL", fake.baseUrl("openai")))) {
      Api api = service.api();
      String user = newUser();
      fake.script(call -> facts("Drinks green tea"));

      addOk(api, user, "I drink green tea");
      addOk(api, newUser(), "I drink green tea too");

      assertThat(texts(stored(api, user))).containsExactly("Drinks green tea");
      assertThat(fake.calls()).hasSize(3);
      assertThat(fake.calls().get(0).body().getJsonObject("response_format").getString("type"))
        .isEqualTo("json_schema");
      FakeLlmServer.Call downgraded = fake.calls().get(1);
      assertThat(downgraded.body().getJsonObject("response_format").getString("type")).isEqualTo("json_object");
      assertThat(downgraded.system()).contains("JSON schema");
      // The server's answer is remembered: the next call goes straight to json_object.
      assertThat(fake.calls().get(2).body().getJsonObject("response_format").getString("type"))
        .isEqualTo("json_object");
      assertThat(fake.calls().get(2).header("Authorization")).isNull();
    }
  }

  @Test
  void openAiToolModeSendsAForcedFunctionCallAndReadsItsArguments() {
    try (FakeLlmServer fake = new FakeLlmServer();
         RunningService service = RunningService.start(new LuceneStore(), Map.of(
           "LLM_PROVIDER", "openai", "OPENAI_BASE_URL", fake.baseUrl("openai"),
           "MEMGATE_LLM_OPENAI_STRUCTURED_OUTPUT", "tools"))) {
      Api api = service.api();
      String user = newUser();
      fake.script(call -> facts("Is training for a triathlon"));

      addOk(api, user, "I'm training for a triathlon");

      assertThat(texts(stored(api, user))).containsExactly("Is training for a triathlon");
      JsonObject body = fake.calls().get(0).body();
      assertThat(body.containsKey("response_format")).isFalse();
      JsonArray tools = body.getJsonArray("tools");
      assertThat(tools.getJsonObject(0).getString("type")).isEqualTo("function");
      assertThat(tools.getJsonObject(0).getJsonObject("function").getString("name")).isEqualTo("facts");
      assertThat(body.getJsonObject("tool_choice").getJsonObject("function").getString("name")).isEqualTo("facts");
    }
  }
}
