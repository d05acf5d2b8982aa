package dev.memgate.gateway.ratelimit;

import dev.memgate.gateway.http.HttpVerticle;
import dev.memgate.gateway.testing.FakeLlmServer;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limits of a Memgate with a key and an LLM: the key's budgets (6 reads, 10 writes, 2 inferences a minute here)
 * are counted per key, whatever address it calls from; a stored key's own rate replaces them; and an add the LLM
 * distils spends an inference on top of its write. Each test spends from its own key's buckets (the operator's key
 * only spends reads in one, and writes to create the others' keys), so they do not spend each other's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyedRateLimitTest {
  private static final String KEY = "mk-rate-limit-test-0123456789";

  private FakeLlmServer llm;
  private RunningService service;
  private int port;

  @BeforeAll
  void start() {
    llm = new FakeLlmServer();
    service = RunningService.start(new LuceneStore(), Map.of(
      "MEMGATE_API_KEY", KEY,
      "LLM_PROVIDER", "openai",
      "OPENAI_BASE_URL", llm.baseUrl("openai"),
      "MEMGATE_RATE_LIMIT_READS_PER_MINUTE", "6",
      "MEMGATE_RATE_LIMIT_WRITES_PER_MINUTE", "10",
      "MEMGATE_RATE_LIMIT_INFERENCES_PER_MINUTE", "2"));
    port = HttpVerticle.actualPort(service.vertx());
  }

  @AfterAll
  void stop() {
    service.close();
    llm.close();
  }

  @Test
  void aKeyHasOneBudgetWhicheverAddressItCallsFrom() {
    FromAddress first = new FromAddress("127.0.0.2", port, KEY);
    FromAddress second = new FromAddress("127.0.0.3", port, KEY);
    FromAddress third = new FromAddress("127.0.0.4", port, KEY);
    FromAddress anonymous = new FromAddress("127.0.0.4", port);
    for (int i = 0; i < 3; i++) {
      assertThat(first.list("keyed").status()).isEqualTo(200);
      assertThat(second.list("keyed").status()).isEqualTo(200);
      // Refused before its credential is accepted: it spends nothing, from nobody's budget.
      assertThat(anonymous.list("keyed").status()).isEqualTo(401);
    }
    Reply refused = third.list("keyed");

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.json().getString("budget")).isEqualTo("reads");
    assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"reads\";q=6;w=60");
    assertThat(refused.text()).doesNotContain(KEY);
  }

  @Test
  void aStoredKeysOwnRateIsItsBudgetAndAnotherKeyFromTheSameAddressKeepsItsOwn() {
    FromAddress operator = new FromAddress("127.0.0.6", port, KEY);
    String slow = createKey(operator, new JsonObject().put("name", "slow").put("users", new JsonArray().add("alice"))
      .put("permissions", new JsonArray().add("read").add("write")).put("requests_per_minute", 3));
    String usual = createKey(operator, new JsonObject().put("name", "usual").put("users", new JsonArray().add("bob"))
      .put("permissions", new JsonArray().add("read").add("write")));
    FromAddress alice = new FromAddress("127.0.0.7", port, slow);
    FromAddress bob = new FromAddress("127.0.0.7", port, usual);

    for (int i = 0; i < 3; i++) {
      Reply listed = alice.list("alice");
      assertThat(listed.status()).as(listed.text()).isEqualTo(200);
      assertThat(listed.header("RateLimit-Policy")).as("the key's own rate").isEqualTo("\"reads\";q=3;w=60");
    }
    Reply refused = alice.list("alice");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.json().getString("budget")).isEqualTo("reads");
    assertThat(refused.text()).doesNotContain(slow);

    Reply other = bob.list("bob");
    assertThat(other.status()).as("another key from the same address").isEqualTo(200);
    assertThat(other.header("RateLimit-Policy")).as("the default per key").isEqualTo("\"reads\";q=6;w=60");
  }

  private static String createKey(FromAddress operator, JsonObject request) {
    Reply created = operator.send("POST", "/keys", request);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    return created.json().getString("secret");
  }

  @Test
  void anInferredAddSpendsAnInferenceOnTopOfAWrite() {
    // A key of its own, so that no other test has spent from its buckets.
    String key = createKey(new FromAddress("127.0.0.5", port, KEY), new JsonObject().put("name", "inferring")
      .put("users", new JsonArray().add("inferring")).put("permissions", new JsonArray().add("read").add("write")));
    FromAddress client = new FromAddress("127.0.0.5", port, key);
    Reply first = client.add("inferring", "I moved to Lisbon", true);
    assertThat(first.status()).as(first.text()).isEqualTo(200);
    assertThat(first.header("RateLimit-Policy")).isEqualTo("\"writes\";q=10;w=60, \"inferences\";q=2;w=60");
    assertThat(first.header("RateLimit")).matches("\"writes\";r=9;t=\\d+, \"inferences\";r=1;t=\\d+");
    assertThat(client.addInferringByDefault("inferring", "I like green tea").status())
      .as("infer defaults to true").isEqualTo(200);

    Reply refused = client.add("inferring", "I play the cello", true);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.json().getString("budget")).isEqualTo("inferences");
    assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 30);
    assertThat(llm.calls()).as("the refused add never reached the LLM").hasSize(2);

    Reply verbatim = client.add("inferring", "I play the cello", false);
    assertThat(verbatim.status()).as("a verbatim add needs no inference").isEqualTo(200);
    assertThat(verbatim.header("RateLimit-Policy")).isEqualTo("\"writes\";q=10;w=60");
  }
}
