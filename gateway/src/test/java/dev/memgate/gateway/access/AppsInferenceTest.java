package dev.memgate.gateway.access;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.FakeLlmServer;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.StoreFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inferred adds and apps, against a scripted OpenAI-compatible model: the memories an inferred add writes record
 * the app; an update it decides keeps the app that added the memory; and an app limited to its own memories
 * reconciles its facts with those only, so the model never sees another app's memory and the add never changes one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppsInferenceTest {
  private FakeLlmServer fake;
  private StoreFixture store;
  private RunningService service;
  private Api operator;

  @BeforeAll
  void start() {
    fake = new FakeLlmServer().requireKey("sk-test");
    store = new LuceneStore();
    service = RunningService.start(store, Map.of("MEMGATE_API_KEY", Keys.OPERATOR_KEY, "LLM_PROVIDER", "openai",
      "OPENAI_BASE_URL", fake.baseUrl("openai"), "OPENAI_API_KEY", "sk-test", "LLM_MODEL", "test-model"));
    operator = service.api().withKey(Keys.OPERATOR_KEY);
  }

  @AfterAll
  void stop() throws Exception {
    service.close();
    store.close();
    fake.close();
  }

  @BeforeEach
  void resetFake() {
    fake.reset();
  }

  private Api appKey(String app, String user) {
    return service.api().withKey(Keys.create(operator, new JsonObject().put("name", app).put("app", app)
      .put("users", new JsonArray().add(user)).put("permissions", new JsonArray().add("read").add("write")))
      .getString("secret"));
  }

  private static String addVerbatim(Api api, String user, String text) {
    Reply reply = api.post("/memories", new JsonObject().put("messages", text).put("user_id", user)
      .put("infer", false));
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    return reply.json().getJsonArray("results").getJsonObject(0).getString("id");
  }

  private static JsonObject addInferred(Api api, String user, String text) {
    Reply reply = api.post("/memories", new JsonObject().put("messages", text).put("user_id", user));
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.json().getBoolean("inferred")).isTrue();
    return reply.json();
  }

  private String appOf(String memoryId) {
    return operator.get("/memories/" + memoryId).json().getJsonObject("metadata").getString("app_id");
  }

  private static String facts(String... facts) {
    return new JsonObject().put("facts", new JsonArray(List.of((Object[]) facts))).encode();
  }

  private static String decision(String event, String id, String text) {
    return new JsonObject().put("decisions", new JsonArray().add(new JsonObject().put("fact", 0).put("event", event)
      .put("id", id).put("text", text))).encode();
  }

  @Test
  void anUpdateDecidedThroughAnotherAppKeepsTheAppThatAddedTheMemory() {
    String id = addVerbatim(appKey("editor-a", "lena"), "lena", "Lena likes cheese pizza");
    fake.script(call -> call.isExtraction() ? facts("Lena loves pizza with cheese and chicken")
      : decision("UPDATE", "0", "Lena loves cheese and chicken pizza"));
    JsonObject reply = addInferred(appKey("editor-b", "lena"), "lena", "I love pizza with cheese and chicken");
    assertThat(reply.getJsonArray("results").getJsonObject(0).getString("event")).isEqualTo("UPDATE");
    assertThat(operator.get("/memories/" + id).json().getString("memory"))
      .isEqualTo("Lena loves cheese and chicken pizza");
    assertThat(appOf(id)).isEqualTo("editor-a");

    fake.reset();
    fake.script(call -> call.isExtraction() ? facts("Lena plays chess") : decision("ADD", null,
      "Lena plays chess"));
    JsonObject added = addInferred(appKey("editor-b", "lena"), "lena", "I play chess on Sundays");
    String newId = added.getJsonArray("results").getJsonObject(0).getString("id");
    assertThat(appOf(newId)).isEqualTo("editor-b");
  }

  @Test
  void anAppLimitedToItsOwnMemoriesReconcilesWithThoseOnly() {
    String theirs = addVerbatim(appKey("shared-app", "mona"), "mona", "Mona drinks green tea every morning");
    Api own = appKey("own-app", "mona");
    String mine = addVerbatim(own, "mona", "Mona drinks black coffee at work");
    Reply limited = operator.sendRaw("PATCH", "/apps/own-app", new JsonObject().put("memory_access", "own")
      .encode().getBytes(StandardCharsets.UTF_8), "application/json");
    assertThat(limited.status()).as(limited.text()).isEqualTo(200);
    // the listener may remember the key's app for up to a second
    dev.memgate.gateway.testing.Eventually.await(java.time.Duration.ofSeconds(1),
      () -> own.get("/memories/" + theirs).status() == 404, () -> "the app still reads other apps' memories");

    fake.script(call -> call.isExtraction() ? facts("Mona drinks tea and coffee")
      : decision("UPDATE", "0", "Mona drinks tea and coffee"));
    JsonObject reply = addInferred(own, "mona", "I drink both tea and coffee");

    FakeLlmServer.Call decide = fake.calls().get(1);
    assertThat(decide.isDecision()).isTrue();
    assertThat(decide.user()).contains("black coffee").doesNotContain("green tea");
    assertThat(reply.encode()).doesNotContain("green tea");
    assertThat(operator.get("/memories/" + theirs).json().getString("memory"))
      .isEqualTo("Mona drinks green tea every morning");
    assertThat(operator.get("/memories/" + mine).json().getString("memory")).isEqualTo("Mona drinks tea and coffee");
  }
}
