package dev.memgate.gateway.behaviour;

import dev.memgate.gateway.testing.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.memgate.gateway.testing.Api.q;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service as a whole, whatever the vector store: its health and configuration (without secrets), the contract
 * it serves, erasing everything, and many writers at once.
 *
 * <p>This suite's service has an OpenAI key in its environment, which the in-process embedder does not use and
 * which must never be shown.
 */
public abstract class ServiceBehaviour extends BehaviourSuite {
  private static final String SECRET = "sk-test-secret-123";

  @Override
  protected Map<String, String> environment() {
    return Map.of("OPENAI_API_KEY", SECRET);
  }

  @Test
  void healthShowsEveryComponentUpAndTheConfigurationWithoutSecrets() {
    Reply reply = api.get("/health");

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    JsonObject health = reply.json();
    assertThat(health.getString("status")).isEqualTo("UP");
    assertThat(health.getString("version")).isNotBlank();
    JsonObject components = health.getJsonObject("components");
    for (String component : List.of("embedding", "vector_store", "memory")) {
      assertThat(components.getJsonObject(component).getString("status")).as(component).isEqualTo("UP");
    }
    JsonObject config = health.getJsonObject("config");
    assertThat(config.getJsonObject("vector").getString("store")).isEqualTo(store.name());
    assertThat(config.getJsonObject("embedder").getString("provider")).isEqualTo("onnx");
    assertThat(config.getJsonObject("limits").getInteger("max_text_chars")).isPositive();
    assertThat(config.getJsonObject("openai").getString("api_key")).isEqualTo("***");
    assertThat(reply.text()).doesNotContain(SECRET).doesNotContain("secret-123");
  }

  @Test
  void theContractIsServedWithEveryOperation() {
    Reply reply = api.get("/openapi.yaml");

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("application/yaml");
    Map<String, Object> contract = new Yaml().load(reply.text());
    assertThat(contract.get("openapi")).isEqualTo("3.1.0");
    Set<String> operations = new HashSet<>();
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) contract.get("paths");
    paths.values().forEach(path -> path.values().forEach(operation -> {
      if (operation instanceof Map<?, ?> op && op.get("operationId") instanceof String id) {
        operations.add(id);
      }
    }));
    assertThat(operations).containsExactlyInAnyOrder("addMemories", "listMemories", "deleteAllMemories",
      "getMemory", "updateMemory", "deleteMemory", "memoryHistory", "searchMemories", "resetMemories", "health",
      "healthLive", "healthReady", "getContract", "getGraph", "createKey", "listKeys", "getKey", "revokeKey",
      "rotateKey", "auditLog", "listApps", "updateApp");
  }

  @Test
  void aResetErasesEverythingAndTheServiceCarriesOn() {
    String amy = newUser();
    String agent = newId("agent");
    String amyMemory = remember(amy, "I have a vegetable garden");
    String agentMemory = remember(new JsonObject().put("agent_id", agent), "The agent speaks Spanish", null);
    api.put("/memories/" + q(amyMemory), new JsonObject().put("text", "I have a herb garden"));

    Reply reply = api.post("/reset", new JsonObject());

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.json().getString("message")).isNotBlank();
    assertThat(listUser(amy)).isEmpty();
    assertThat(list("agent_id=" + q(agent))).isEmpty();
    assertThat(found(amy, "garden")).isEmpty();
    for (String id : List.of(amyMemory, agentMemory)) {
      assertProblem(api.get("/memories/" + q(id)), 404);
      assertProblem(api.get("/memories/" + q(id) + "/history"), 404);
    }
    // what was there before is not a duplicate any more
    String again = remember(amy, "I have a herb garden");
    assertThat(again).isNotEqualTo(amyMemory);
    assertThat(ids(found(amy, "garden"))).containsExactly(again);
  }

  @Test
  void concurrentAddsOfTheSameTextKeepOneMemory() throws Exception {
    String bo = newUser();

    List<JsonObject> replies = concurrently(20, i -> verbatim(user(bo), "I always take the stairs"));

    List<String> events = new ArrayList<>();
    Set<String> idsSeen = new HashSet<>();
    for (JsonObject reply : replies) {
      JsonObject result = reply.getJsonArray("results").getJsonObject(0);
      events.add(result.getString("event"));
      idsSeen.add(result.getString("id"));
    }
    assertThat(events).containsOnly("ADD", "NONE").filteredOn("ADD"::equals).hasSize(1);
    assertThat(idsSeen).hasSize(1);
    JsonArray listed = listUser(bo);
    assertThat(ids(listed)).containsExactlyElementsOf(idsSeen);
    assertThat(history(listed.getJsonObject(0).getString("id"))).hasSize(1);
  }

  @Test
  void concurrentAddsOfDifferentTextsKeepEveryOne() throws Exception {
    String cy = newUser();

    List<JsonObject> replies = concurrently(20, i -> verbatim(user(cy), "Reminder number " + i + " for today"));

    Set<String> idsSeen = new HashSet<>();
    for (JsonObject reply : replies) {
      JsonObject result = reply.getJsonArray("results").getJsonObject(0);
      assertThat(result.getString("event")).isEqualTo("ADD");
      idsSeen.add(result.getString("id"));
    }
    assertThat(idsSeen).hasSize(20);
    assertThat(ids(listUser(cy))).containsExactlyInAnyOrderElementsOf(idsSeen);
  }

  private interface BodyOf {
    JsonObject body(int i);
  }

  /** Sends the adds all at once (released together by a latch) and returns their replies, which must be 200. */
  private List<JsonObject> concurrently(int count, BodyOf bodies) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Reply>> pending = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        JsonObject body = bodies.body(i);
        Callable<Reply> call = () -> {
          start.await();
          return add(body);
        };
        pending.add(pool.submit(call));
      }
      start.countDown();
      List<JsonObject> replies = new ArrayList<>();
      for (Future<Reply> reply : pending) {
        Reply done = reply.get();
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        replies.add(done.json());
      }
      return replies;
    } finally {
      pool.shutdownNow();
    }
  }
}
