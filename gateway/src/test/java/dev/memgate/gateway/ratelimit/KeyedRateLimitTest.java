package dev.memgate.gateway.ratelimit;

import dev.memgate.gateway.http.HttpVerticle;
import dev.memgate.gateway.testing.FakeLlmServer;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limits of a Memgate with a key and an LLM: the key's budgets (6 reads, 10 writes, 2 inferences a minute here)
 * are counted per key, whatever address it calls from, and an add the LLM distils spends an inference on top of its
 * write. The tests spend different budgets, so they do not spend each other's.
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
  void anInferredAddSpendsAnInferenceOnTopOfAWrite() {
    FromAddress client = new FromAddress("127.0.0.5", port, KEY);
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
