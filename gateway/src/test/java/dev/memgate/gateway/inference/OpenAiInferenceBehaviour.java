package dev.memgate.gateway.inference;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.FakeLlmServer;
import dev.memgate.gateway.testing.FakeLlmServer.Mode;
import dev.memgate.gateway.testing.StoreFixture;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.memgate.gateway.inference.Scripted.addOk;
import static dev.memgate.gateway.inference.Scripted.decision;
import static dev.memgate.gateway.inference.Scripted.decisions;
import static dev.memgate.gateway.inference.Scripted.events;
import static dev.memgate.gateway.inference.Scripted.existingShown;
import static dev.memgate.gateway.inference.Scripted.facts;
import static dev.memgate.gateway.inference.Scripted.newUser;
import static dev.memgate.gateway.inference.Scripted.stored;
import static dev.memgate.gateway.inference.Scripted.texts;
import static dev.memgate.gateway.inference.Scripted.userSays;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inference pipeline end to end, through {@code POST /memories} over HTTP, with the real verticles, a real store and
 * ONNX embeddings, against a fake OpenAI-compatible server: what the store holds after each scenario, and exactly
 * what the server was asked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class)
abstract class OpenAiInferenceBehaviour {
  private FakeLlmServer fake;
  private StoreFixture store;
  private RunningService service;
  private Api api;

  /** The vector store the scenarios run on; every store must reconcile facts the same way. */
  protected abstract StoreFixture createStore();

  @BeforeAll
  void start() {
    fake = new FakeLlmServer().requireKey("sk-test");
    store = createStore();
    service = RunningService.start(store, Map.of(
      "LLM_PROVIDER", "openai",
      "OPENAI_BASE_URL", fake.baseUrl("openai"),
      "OPENAI_API_KEY", "sk-test",
      "LLM_MODEL", "test-model",
      "MEMGATE_BREAKER_MAX_FAILURES", "50"));
    api = service.api();
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

  @Test
  void factsAreExtractedAddedAndTheRequestIsWhatOpenAiExpects() {
    String user = newUser();
    fake.script(call -> facts("Name is Ana", "Works as a nurse in Porto", "Is allergic to peanuts"));

    JsonObject reply = addOk(api, user, "Hi, I'm Ana. I work as a nurse in Porto and I'm allergic to peanuts.");

    JsonArray results = reply.getJsonArray("results");
    assertThat(results.stream().map(r -> ((JsonObject) r).getString("event")).toList())
      .containsExactly("ADD", "ADD", "ADD");
    assertThat(reply.getBoolean("inferred")).isTrue();
    assertThat(reply.containsKey("reason")).isFalse();
    // Nothing was stored for this user before, so there was nothing to decide: one LLM call only.
    assertThat(reply.getJsonObject("usage").getInteger("llm_calls")).isEqualTo(1);
    assertThat(reply.getJsonObject("usage").getLong("input_tokens")).isPositive();
    assertThat(texts(stored(api, user))).containsExactlyInAnyOrder("Name is Ana", "Works as a nurse in Porto",
      "Is allergic to peanuts");

    assertThat(fake.calls()).hasSize(1);
    FakeLlmServer.Call call = fake.calls().get(0);
    assertThat(call.path()).isEqualTo("/v1/chat/completions");
    assertThat(call.header("Authorization")).isEqualTo("Bearer sk-test");
    assertThat(call.body().getString("model")).isEqualTo("test-model");
    JsonObject format = call.body().getJsonObject("response_format");
    assertThat(format.getString("type")).isEqualTo("json_schema");
    assertThat(format.getJsonObject("json_schema").getString("name")).isEqualTo("facts");
    assertThat(format.getJsonObject("json_schema").getBoolean("strict")).isTrue();
    assertThat(format.getJsonObject("json_schema").getJsonObject("schema").getJsonArray("required"))
      .containsExactly("facts");
    assertThat(call.system()).contains("Today's date is " + Scripted.today());
    assertThat(call.user()).contains("user: Hi, I'm Ana. I work as a nurse in Porto")
      .contains("assistant: Noted!");
  }

  @Test
  void aChangedPreferenceUpdatesTheMemoryAndTheModelNeverSeesRealIds() {
    String user = newUser();
    fake.script(call -> facts("Likes cheese pizza"));
    String id = addOk(api, user, "I like cheese pizza").getJsonArray("results").getJsonObject(0).getString("id");
    fake.reset();
    fake.script(call -> call.isExtraction() ? facts("Loves pizza with cheese and chicken")
      : decisions(decision(0, "UPDATE", "0", "Loves cheese and chicken pizza")));

    JsonObject reply = addOk(api, user, "Actually I love pizza with cheese and chicken");

    JsonObject updated = reply.getJsonArray("results").getJsonObject(0);
    assertThat(reply.getJsonArray("results")).hasSize(1);
    assertThat(updated.getString("event")).isEqualTo("UPDATE");
    assertThat(updated.getString("id")).isEqualTo(id);
    assertThat(updated.getString("memory")).isEqualTo("Loves cheese and chicken pizza");
    assertThat(updated.getString("previous_memory")).isEqualTo("Likes cheese pizza");
    assertThat(reply.getJsonObject("usage").getInteger("llm_calls")).isEqualTo(2);
    assertThat(texts(stored(api, user))).containsExactly("Loves cheese and chicken pizza");
    assertThat(events(api, id)).containsExactly("ADD", "UPDATE");

    FakeLlmServer.Call decide = fake.calls().get(1);
    assertThat(decide.isDecision()).isTrue();
    assertThat(existingShown(decide)).containsExactly(new JsonObject().put("id", "0").put("text",
      "Likes cheese pizza"));
    assertThat(decide.user()).doesNotContain(id).contains("Loves pizza with cheese and chicken");
  }

  @Test
  void aContradictionRemovesTheOldFactAndKeepsTheNewOneEvenWhenTheModelForgetsIt() {
    String user = newUser();
    fake.script(call -> facts("Loves pizza"));
    String old = addOk(api, user, "I love pizza").getJsonArray("results").getJsonObject(0).getString("id");
    // mem0's failure: DELETE of the contradicted memory, and no word about the new fact.
    fake.script(call -> call.isExtraction() ? facts("Cannot stand pizza any more")
      : decisions(decision(0, "DELETE", "0", "")));

    JsonObject reply = addOk(api, user, "I can't stand pizza any more");

    assertThat(reply.getJsonArray("results").stream().map(r -> ((JsonObject) r).getString("event")).toList())
      .containsExactly("DELETE", "ADD");
    assertThat(texts(stored(api, user))).containsExactly("Cannot stand pizza any more");
    assertThat(api.get("/memories/" + old).status()).isEqualTo(404);
    assertThat(events(api, old)).containsExactly("ADD", "DELETE");
  }

  @Test
  void anExpiredMemoryIsNotReconciledWithSoTheNewFactStaysVisible() {
    String user = newUser();
    fake.script(call -> facts("Stays at the Hotel Roma in Rome"));
    Reply first = api.post("/memories", userSays(user, "I'm staying at the Hotel Roma in Rome")
      .put("expiration_date", LocalDate.now(ZoneOffset.UTC).minusDays(1).toString()));
    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    fake.reset();
    // Were the expired memory shown, a model could UPDATE it, and the new fact would be hidden with it.
    fake.script(call -> call.isExtraction() ? facts("Stays at the Hilton in Rome")
      : decisions(decision(0, "UPDATE", "0", "Stays at the Hilton in Rome")));

    JsonObject reply = addOk(api, user, "I moved to the Hilton in Rome");

    assertThat(reply.getJsonArray("results").stream().map(r -> ((JsonObject) r).getString("event")).toList())
      .containsExactly("ADD");
    assertThat(fake.calls()).hasSize(1);
    assertThat(texts(stored(api, user))).containsExactly("Stays at the Hilton in Rome");
  }

  @Test
  void aFactAlreadyKnownChangesNothingAndTheReplySaysSo() {
    String user = newUser();
    fake.script(call -> facts("Is vegetarian"));
    addOk(api, user, "I'm vegetarian");
    JsonObject before = stored(api, user).getJsonObject(0);
    fake.script(call -> call.isExtraction() ? facts("Does not eat meat") : decisions(decision(0, "NONE", "0", "")));

    JsonObject reply = addOk(api, user, "I don't eat meat");

    assertThat(reply.getJsonArray("results")).isEmpty();
    assertThat(reply.getString("reason")).contains("already known");
    assertThat(stored(api, user)).containsExactly(before);
  }

  @Test
  void idsTheModelInventsAreIgnoredAndNoFactIsLost() {
    String user = newUser();
    fake.script(call -> facts("Works as a nurse"));
    String nurse = addOk(api, user, "I'm a nurse").getJsonArray("results").getJsonObject(0).getString("id");
    fake.script(call -> call.isExtraction() ? facts("Works at the Porto hospital", "Has a cat named Tom")
      : decisions(decision(0, "UPDATE", "7", "Works at the Porto hospital"),
        decision(1, "DELETE", nurse, "Has a cat named Tom")));

    JsonObject reply = addOk(api, user, "I work at the Porto hospital and I have a cat, Tom");

    assertThat(reply.getJsonArray("results").stream().map(r -> ((JsonObject) r).getString("event")).toList())
      .containsExactly("ADD", "ADD");
    assertThat(texts(stored(api, user))).containsExactlyInAnyOrder("Works as a nurse",
      "Works at the Porto hospital", "Has a cat named Tom");
    assertThat(events(api, nurse)).containsExactly("ADD");
  }

  @Test
  void aConversationWithoutFactsSaysWhyNothingWasRemembered() {
    String user = newUser();
    fake.script(call -> facts());

    JsonObject reply = addOk(api, user, "Hi! How are you today?");

    assertThat(reply.getJsonArray("results")).isEmpty();
    assertThat(reply.getBoolean("inferred")).isTrue();
    assertThat(reply.getString("reason")).isEqualTo("the conversation holds no fact about the user worth "
      + "remembering");
    assertThat(stored(api, user)).isEmpty();
  }

  @Test
  void aReplyThatIsNotJsonIsA503NamingTheProviderAndNothingIsWritten() {
    String user = newUser();
    fake.mode(Mode.GARBAGE);

    Reply reply = Scripted.add(api, user, "I love sushi");

    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
    assertThat(reply.json().getString("dependency")).isEqualTo("llm:openai");
    assertThat(reply.json().getString("detail")).contains("could not be read as JSON");
    assertThat(fake.calls()).hasSize(1);
    assertThat(stored(api, user)).isEmpty();
  }

  @Test
  void halfAJsonReplyIsA503AndTheStoreIsUnchanged() {
    String user = newUser();
    fake.script(call -> facts("Likes sushi"));
    addOk(api, user, "I like sushi");
    JsonArray before = stored(api, user);
    fake.script(call -> call.isExtraction() ? facts("Lives in Lisbon", "Has two kids")
      : decisions(decision(0, "DELETE", "0", "Lives in Lisbon"), decision(1, "ADD", "", "Has two kids")));
    fake.next(1, Mode.NORMAL).next(1, Mode.HALF_JSON);

    Reply reply = Scripted.add(api, user, "I live in Lisbon with my two kids");

    assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
    assertThat(reply.json().getString("detail")).contains("could not be read as JSON");
    assertThat(stored(api, user)).isEqualTo(before);
  }

  @Test
  void a429IsRetriedAfterTheDelayTheProviderAsksFor() {
    String user = newUser();
    fake.script(call -> facts("Plays the cello")).next(1, Mode.THROTTLED);

    JsonObject reply = addOk(api, user, "I play the cello");

    assertThat(texts(stored(api, user))).containsExactly("Plays the cello");
    assertThat(fake.calls()).hasSize(2);
    assertThat(reply.getJsonObject("usage").getInteger("llm_calls")).isEqualTo(1);
    assertThat(Scripted.llmHealth(api).getJsonObject("breaker").getLong("retries")).isPositive();
  }

  @Test
  void aRejectedKeyFailsAtOnceWithoutRetryAndLeavesTheCircuitClosed() {
    String user = newUser();
    fake.requireKey("sk-other");
    try {
      fake.script(call -> facts("Plays chess"));
      Reply reply = Scripted.add(api, user, "I play chess");

      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.json().getString("detail")).contains("HTTP 401").contains("check the API key")
        .doesNotContain("sk-test");
      assertThat(fake.calls()).hasSize(1);
      assertThat(Scripted.llmHealth(api).getJsonObject("breaker").getString("state")).isEqualTo("CLOSED");
      assertThat(stored(api, user)).isEmpty();
    } finally {
      fake.requireKey("sk-test");
    }
  }

  @Test
  void twoAddsOfTheSameFactAtOnceAddItOnce() {
    String user = newUser();
    // Worded differently, so that only the scope lock (not the store's exact-text check) can keep it single.
    fake.script(call -> {
      if (call.isExtraction()) {
        return call.user().contains("adore") ? facts("Adores sushi") : facts("Loves sushi");
      }
      return existingShown(call).isEmpty() ? decisions(decision(0, "ADD", "", "Loves sushi"))
        : decisions(decision(0, "NONE", "0", ""));
    });

    CompletableFuture<Reply> first = CompletableFuture.supplyAsync(() -> Scripted.add(api, user, "I love sushi"));
    CompletableFuture<Reply> second = CompletableFuture.supplyAsync(() -> Scripted.add(api, user, "I adore sushi"));

    assertThat(List.of(first.join().status(), second.join().status())).containsOnly(200);
    assertThat(stored(api, user)).hasSize(1);
    int added = first.join().json().getJsonArray("results").size() + second.join().json().getJsonArray("results")
      .size();
    assertThat(added).isEqualTo(1);
  }

  @Test
  void proceduralMemoryIsOneSummaryStoredAsOneMemory() {
    String agent = "agent-" + newUser();
    fake.script(call -> "1. Task: book a flight to Lisbon. 2. Searched flights: found TP123 at 09:40. "
      + "3. Next: pay.");
    Reply reply = api.post("/memories", new JsonObject()
      .put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "Book me a flight to Lisbon"))
        .add(new JsonObject().put("role", "assistant").put("content", "Searching... TP123 leaves at 09:40")))
      .put("agent_id", agent)
      .put("memory_type", "procedural_memory"));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    JsonObject result = reply.json().getJsonArray("results").getJsonObject(0);
    assertThat(result.getString("event")).isEqualTo("ADD");
    JsonObject memory = api.get("/memories/" + result.getString("id")).json();
    assertThat(memory.getString("memory")).startsWith("1. Task: book a flight to Lisbon.");
    assertThat(memory.getJsonObject("metadata").getString("memory_type")).isEqualTo("procedural_memory");
    assertThat(memory.getString("agent_id")).isEqualTo(agent);
    FakeLlmServer.Call call = fake.calls().get(0);
    assertThat(fake.calls()).hasSize(1);
    assertThat(call.outputName()).isNull();
    assertThat(call.user()).contains("user: Book me a flight to Lisbon").contains("assistant: Searching...");

    Reply noAgent = api.post("/memories", new JsonObject().put("messages", "did things").put("user_id", "u")
      .put("memory_type", "procedural_memory"));
    assertThat(noAgent.status()).isEqualTo(400);
    assertThat(noAgent.json().getString("field")).isEqualTo("agent_id");
  }

  @Test
  void zHealthShowsTheProviderTheCircuitAndWhatAddsCost() {
    String user = newUser();
    fake.script(call -> facts("Speaks Portuguese"));
    addOk(api, user, "Falo português");

    JsonObject health = api.get("/health").json();
    JsonObject llm = health.getJsonObject("components").getJsonObject("llm");
    assertThat(llm.getString("status")).isEqualTo("UP");
    assertThat(llm.getString("provider")).isEqualTo("openai");
    assertThat(llm.getString("model")).isEqualTo("test-model");
    assertThat(llm.getJsonObject("breaker").getString("state")).isEqualTo("CLOSED");
    assertThat(llm.getLong("calls")).isPositive();
    assertThat(llm.getLong("input_tokens")).isPositive();
    JsonObject adds = health.getJsonObject("components").getJsonObject("memory").getJsonObject("inferred_adds");
    assertThat(adds.getLong("adds")).isPositive();
    assertThat(adds.getDouble("llm_calls_per_add")).isBetween(1.0, 2.0);
    assertThat(health.encode()).doesNotContain("sk-test");
    System.out.printf("inferred adds against the fake LLM: %s; LLM calls: %s%n", adds.encode(), llm.copy()
      .put("breaker", null).encode());
  }
}
