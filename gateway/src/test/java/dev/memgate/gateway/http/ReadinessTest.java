package dev.memgate.gateway.http;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.Eventually;
import dev.memgate.gateway.testing.PgvectorStore;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a load balancer sees when a node's database goes away and comes back: the node stays live (restarting it
 * would not help), is not ready (503) while PostgreSQL does not answer, so requests go to other nodes, and is ready
 * again by itself once the database is back.
 */
class ReadinessTest {

  @Test
  void aNodeWhoseDatabaseIsGoneIsLiveButNotReadyUntilItIsBack() throws Exception {
    try (PgvectorStore store = new PgvectorStore(); TcpForwarder database = new TcpForwarder(PgvectorStore.PORT)) {
      String url = "postgresql://" + PgvectorStore.USER + "@127.0.0.1:" + database.port() + "/" + store.database();
      RunningService service = RunningService.start(store, Map.of("DATABASE_URL", url,
        "MEMGATE_PG_CONNECT_TIMEOUT_MS", "500"));
      try {
        Api api = service.api();
        assertThat(api.get("/health/ready").status()).isEqualTo(200);

        database.cut();
        Eventually.await(Duration.ofSeconds(20), () -> api.get("/health/ready").status() == 503,
          () -> "still ready: " + api.get("/health"));
        Reply ready = api.get("/health/ready");
        assertThat(ready.json().fieldNames()).containsExactly("status");
        assertThat(ready.json().getString("status")).isEqualTo("DOWN");
        assertThat(api.get("/health/live").status()).isEqualTo(200);

        database.restore();
        Eventually.await(Duration.ofSeconds(30), () -> api.get("/health/ready").status() == 200,
          () -> "not ready again: " + api.get("/health"));
        assertThat(api.post("/memories", new JsonObject().put("messages", "The database is back")
          .put("user_id", "readiness").put("infer", false)).status()).isEqualTo(200);
      } finally {
        service.close();
      }
    }
  }
}
