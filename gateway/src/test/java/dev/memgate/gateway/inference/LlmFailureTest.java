package dev.memgate.gateway.inference;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.Eventually;
import dev.memgate.gateway.testing.FakeLlmServer;
import dev.memgate.gateway.testing.FakeLlmServer.Mode;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.memgate.gateway.inference.Scripted.addOk;
import static dev.memgate.gateway.inference.Scripted.facts;
import static dev.memgate.gateway.inference.Scripted.llmHealth;
import static dev.memgate.gateway.inference.Scripted.newUser;
import static dev.memgate.gateway.inference.Scripted.stored;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An LLM that fails: the circuit opens after repeated 5xx and then refuses calls without reaching the provider,
 * closes by itself once the provider answers again; an unreachable LLM fails adds fast while infer:false keeps
 * working. Nothing is ever written by a failed add.
 */
class LlmFailureTest {

  @Test
  void theCircuitOpensAfterRepeated500sAndClosesWhenTheProviderRecovers() throws InterruptedException {
    try (FakeLlmServer fake = new FakeLlmServer();
         RunningService service = RunningService.start(new LuceneStore(), Map.of(
           "LLM_PROVIDER", "openai",
           "OPENAI_BASE_URL", fake.baseUrl("openai"),
           "MEMGATE_BREAKER_MAX_FAILURES", "2",
           "MEMGATE_BREAKER_MAX_RETRIES", "1",
           "MEMGATE_BREAKER_RESET_MS", "1500"))) {
      Api api = service.api();
      String user = newUser();
      fake.script(call -> facts("Runs marathons")).mode(Mode.SERVER_ERROR);

      Reply failed = Scripted.add(api, user, "I run marathons");
      assertThat(failed.status()).isEqualTo(503);
      assertThat(failed.json().getString("dependency")).isEqualTo("llm:openai");
      assertThat(failed.json().getString("detail")).contains("HTTP 500").contains("after 2 attempts");
      assertThat(fake.calls()).hasSize(2);
      assertThat(llmHealth(api).getString("status")).isEqualTo("DOWN");
      assertThat(llmHealth(api).getJsonObject("breaker").getString("state")).isEqualTo("OPEN");
      // The rest of the service is fine without its LLM.
      assertThat(api.get("/health").status()).isEqualTo(200);

      Reply refused = Scripted.add(api, user, "I run marathons");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.json().getString("detail")).contains("circuit is open");
      assertThat(fake.calls()).as("an open circuit does not call the provider").hasSize(2);

      fake.mode(Mode.NORMAL);
      awaitState(api, "HALF_OPEN");
      JsonObject recovered = addOk(api, user, "I run marathons");
      assertThat(recovered.getJsonArray("results")).hasSize(1);
      assertThat(llmHealth(api).getJsonObject("breaker").getString("state")).isEqualTo("CLOSED");
      assertThat(llmHealth(api).getString("status")).isEqualTo("UP");
      assertThat(Scripted.texts(stored(api, user))).containsExactly("Runs marathons");
    }
  }

  /** The circuit half-opens on its own timer; wait for it (bounded), without asserting how long it took. */
  private static void awaitState(Api api, String state) {
    Eventually.await(Duration.ofSeconds(30),
      () -> state.equals(llmHealth(api).getJsonObject("breaker").getString("state")),
      () -> "the circuit never reached " + state + ": " + llmHealth(api));
  }

  @Test
  void anUnreachableLlmFailsInferredAddsWithA503WhileVerbatimAddsWork() {
    try (RunningService service = RunningService.start(new LuceneStore(), Map.of(
      "LLM_PROVIDER", "openai",
      "OPENAI_BASE_URL", "http://127.0.0.1:9/v1",
      "MEMGATE_BREAKER_MAX_RETRIES", "1"))) {
      Api api = service.api();
      String user = newUser();

      Reply inferred = Scripted.add(api, user, "I live in Berlin");
      assertThat(inferred.status()).isEqualTo(503);
      assertThat(inferred.header("Content-Type")).startsWith("application/problem+json");
      assertThat(inferred.json().getString("dependency")).isEqualTo("llm:openai");
      assertThat(inferred.json().getString("detail")).contains("LLM provider openai at http://127.0.0.1:9/v1")
        .contains("unreachable");
      assertThat(stored(api, user)).isEmpty();

      Reply verbatim = api.post("/memories", Scripted.userSays(user, "I live in Berlin").put("infer", false));
      assertThat(verbatim.status()).isEqualTo(200);
      assertThat(verbatim.json().getBoolean("inferred")).isFalse();
      assertThat(Scripted.texts(stored(api, user))).contains("I live in Berlin");
    }
  }

  @Test
  void aProviderSlowerThanTheDeadlineIsA503AndNothingIsWritten() {
    try (FakeLlmServer fake = new FakeLlmServer();
         RunningService service = RunningService.start(new LuceneStore(), Map.of(
           "LLM_PROVIDER", "ollama",
           "OLLAMA_BASE_URL", fake.baseUrl("ollama"),
           "MEMGATE_LLM_DEADLINE_MS", "800",
           "MEMGATE_BREAKER_MAX_RETRIES", "0"))) {
      Api api = service.api();
      String user = newUser();
      fake.script(call -> facts("Grows tomatoes")).slowMs(3_000).mode(Mode.SLOW);

      Reply reply = Scripted.add(api, user, "I grow tomatoes");

      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.json().getString("dependency")).isEqualTo("llm:ollama");
      assertThat(reply.json().getString("detail")).contains("no answer within the deadline");
      assertThat(stored(api, user)).isEmpty();
    }
  }
}
