package dev.memgate.gateway.pgvector;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.Eventually;
import dev.memgate.gateway.testing.LocalPostgres;
import dev.memgate.gateway.testing.PgvectorStore;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL is restarted under a running service that keeps writing: while it is away every request that needs it
 * is a 503 naming the store, the service recovers by itself once it is back, and no acknowledged write is lost.
 */
class PgvectorOutageTest {
  private static final String USER = "outage-user";

  @Test
  void aRestartOfPostgresIsA503ThenARecoveryAndLosesNoAcknowledgedWrite() throws Exception {
    LocalPostgres postgres = LocalPostgres.onTestPort();
    try (PgvectorStore store = new PgvectorStore();
         RunningService service = RunningService.start(store, Map.of("MEMGATE_PG_CONNECT_TIMEOUT_MS", "1000"))) {
      Api api = service.api();
      Writer writer = new Writer(api);
      Thread writing = new Thread(writer, "outage-writer");
      writing.start();
      try {
        writer.awaitAcknowledged(20);
        JsonObject down;
        try {
          postgres.stop();
          Reply add = add(api, "written while the database is away");
          Reply search = api.post("/search", new JsonObject().put("query", "anything").put("user_id", USER));
          Reply list = api.get("/memories?user_id=" + USER);
          Reply health = api.get("/health");
          down = new JsonObject().put("add", problem(add)).put("search", problem(search)).put("list", problem(list))
            .put("health_status", health.status())
            .put("health_store", health.json().getJsonObject("components").getJsonObject("vector_store")
              .getString("status"));
        } finally {
          postgres.start();
        }
        for (String operation : List.of("add", "search", "list")) {
          JsonObject problem = down.getJsonObject(operation);
          assertThat(problem.getInteger("status")).as(operation + ": " + problem).isEqualTo(503);
          assertThat(problem.getString("dependency")).as(operation).isEqualTo("vector:pgvector");
        }
        assertThat(down.getInteger("health_status")).isEqualTo(503);
        assertThat(down.getString("health_store")).isEqualTo("DOWN");

        // Back by itself: no restart of the service, the pool connects again.
        AtomicReference<Reply> recovered = new AtomicReference<>();
        AtomicInteger attempt = new AtomicInteger();
        Eventually.await(Duration.ofSeconds(60), () -> {
          recovered.set(add(api, "written after the database came back " + attempt.incrementAndGet()));
          return recovered.get().status() == 200;
        }, () -> String.valueOf(recovered.get()));
        assertThat(recovered.get().status()).as(recovered.get().toString()).isEqualTo(200);
        writer.awaitAcknowledged(writer.acknowledged.size() + 5);
      } finally {
        writer.running.set(false);
        writing.join(120_000);
      }

      assertThat(writer.statuses.keySet()).as("every write was answered 200 or 503").isSubsetOf(200, 503);
      assertThat(writer.statuses.get(503)).as("some writes met the outage").isNotNull();
      for (String id : writer.acknowledged) {
        Reply stored = api.get("/memories/" + id);
        assertThat(stored.status()).as("acknowledged memory " + id).isEqualTo(200);
      }
      assertThat(store.sql("SELECT count(*) AS n FROM memgate_memories WHERE user_id = $1", USER).get(0)
        .getLong("n")).isGreaterThanOrEqualTo((long) writer.acknowledged.size());
    } finally {
      postgres.start();
    }
  }

  private static Reply add(Api api, String text) {
    return api.post("/memories", new JsonObject().put("messages", text).put("user_id", USER).put("infer", false));
  }

  private static JsonObject problem(Reply reply) {
    JsonObject body = reply.json();
    return new JsonObject().put("status", reply.status()).put("dependency", body.getString("dependency"))
      .put("detail", body.getString("detail"));
  }

  /** Adds numbered memories one after the other until told to stop, remembering each acknowledged id. */
  private static final class Writer implements Runnable {
    private final Api api;
    final AtomicBoolean running = new AtomicBoolean(true);
    final List<String> acknowledged = new CopyOnWriteArrayList<>();
    final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();

    Writer(Api api) {
      this.api = api;
    }

    @Override
    public void run() {
      for (int i = 0; running.get() && i < 5_000; i++) {
        Reply reply = add(api, "note number " + i + " from the steady writer");
        statuses.merge(reply.status(), 1, Integer::sum);
        if (reply.status() == 200) {
          acknowledged.add(reply.json().getJsonArray("results").getJsonObject(0).getString("id"));
        }
      }
    }

    void awaitAcknowledged(int count) {
      Eventually.await(Duration.ofSeconds(60), () -> acknowledged.size() >= count || !running.get(),
        () -> acknowledged.size() + " acknowledged writes");
      assertThat(acknowledged.size()).as("acknowledged writes").isGreaterThanOrEqualTo(count);
    }
  }
}
