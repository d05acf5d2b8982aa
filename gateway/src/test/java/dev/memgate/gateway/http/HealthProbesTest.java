package dev.memgate.gateway.http;

import dev.memgate.gateway.testing.Api;
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
 * /health/live and /health/ready, what load balancers and orchestrators ask: on a service that needs a key they
 * answer without one, and tell nothing but a status.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthProbesTest {
  private static final String KEY = "mk-probe-0123456789";
  private RunningService service;
  private Api api;

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore(), Map.of("MEMGATE_API_KEY", KEY));
    api = service.api();
  }

  @AfterAll
  void stop() {
    service.close();
  }

  @Test
  void liveAndReadyAnswerWithoutACredentialAndTellOnlyTheStatus() {
    for (String path : new String[] {"/health/live", "/health/ready"}) {
      for (Api caller : new Api[] {api, api.withKey("wrong-key"), api.withKey(KEY)}) {
        Reply reply = caller.get(path);
        assertThat(reply.status()).as(path + " " + reply).isEqualTo(200);
        assertThat(reply.json().fieldNames()).as(path).containsExactly("status");
        assertThat(reply.json().getString("status")).isEqualTo("UP");
      }
    }
  }

  @Test
  void theProbesDoNotOpenAnythingElseWithoutAKey() {
    assertThat(api.get("/health/other").status()).isIn(401, 404);
    assertThat(api.get("/memories?user_id=alice").status()).isEqualTo(401);
    assertThat(api.sendRaw("POST", "/health/ready", new byte[0], "application/json").status()).isIn(401, 405);
  }

  @Test
  void anUnclusteredNodeShowsNoClusterInHealth() {
    Reply full = api.withKey(KEY).get("/health");
    assertThat(full.status()).isEqualTo(200);
    assertThat(full.json().containsKey("cluster")).isFalse();
    assertThat(full.json().getJsonObject("config").getJsonObject("cluster").getString("enabled")).isEqualTo("false");
  }
}
