package dev.memgate.gateway.durability;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.ServiceProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An answered write survives {@code kill -9}: the service runs as its own process, takes writes from several
 * clients at once, is killed with SIGKILL in the middle of them, and every write it had acknowledged is there
 * after a restart on the same data directory.
 */
class KillNineDurabilityTest {
  private static final int WRITERS = 6;

  @TempDir
  Path dataDir;

  @Test
  void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    String updatedId;
    String deletedId;
    try (ServiceProcess first = ServiceProcess.serve(dataDir)) {
      Api api = first.api();
      updatedId = addOne(api, "writer-0", "I drink my coffee black");
      assertThat(api.put("/memories/" + updatedId, new JsonObject().put("text", "I drink my coffee with oat milk"))
        .status()).isEqualTo(200);
      deletedId = addOne(api, "writer-0", "My cat is called Tom");
      assertThat(api.delete("/memories/" + deletedId).status()).isEqualTo(200);

      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicInteger attempts = new AtomicInteger();
      CountDownLatch warmedUp = new CountDownLatch(WRITERS * 20);
      Thread[] writers = new Thread[WRITERS];
      for (int w = 0; w < WRITERS; w++) {
        String user = "writer-" + w;
        writers[w] = new Thread(() -> {
          int n = 0;
          while (writing.get()) {
            String text = user + " fact number " + (n++) + " about " + (char) ('a' + n % 26) + " things";
            attempts.incrementAndGet();
            try {
              Reply reply = api.post("/memories", new JsonObject().put("messages", text).put("user_id", user)
                .put("infer", false));
              if (reply.status() == 200) {
                acknowledged.put(reply.json().getJsonArray("results").getJsonObject(0).getString("id"), text);
                warmedUp.countDown();
              }
            } catch (IllegalStateException connectionLost) {
              return;
            }
          }
        });
        writers[w].start();
      }
      warmedUp.await();
      first.kill();
      writing.set(false);
      for (Thread writer : writers) {
        writer.join(60_000);
      }
      assertThat(attempts.get()).isGreaterThan(acknowledged.size());
    }

    try (ServiceProcess second = ServiceProcess.serve(dataDir)) {
      Api api = second.api();
      for (Map.Entry<String, String> write : acknowledged.entrySet()) {
        Reply stored = api.get("/memories/" + write.getKey());
        assertThat(stored.status()).as("acknowledged memory %s", write.getKey()).isEqualTo(200);
        assertThat(stored.json().getString("memory")).isEqualTo(write.getValue());
      }
      assertThat(api.get("/memories/" + updatedId).json().getString("memory"))
        .isEqualTo("I drink my coffee with oat milk");
      assertThat(api.get("/memories/" + deletedId).status()).isEqualTo(404);
      JsonArray history = api.get("/memories/" + updatedId + "/history").jsonArray();
      assertThat(history.stream().map(row -> ((JsonObject) row).getString("event")).toList())
        .isEqualTo(List.of("ADD", "UPDATE"));

      // The store still takes writes after the crash, and the de-duplication index survived it too.
      String again = acknowledged.values().iterator().next();
      String user = again.substring(0, again.indexOf(' '));
      Reply duplicate = api.post("/memories", new JsonObject().put("messages", again).put("user_id", user)
        .put("infer", false));
      assertThat(duplicate.json().getJsonArray("results").getJsonObject(0).getString("event")).isEqualTo("NONE");
    }
    System.out.printf("kill -9 test: %d acknowledged writes all survived%n", acknowledged.size());
  }

  private static String addOne(Api api, String user, String text) {
    Reply reply = api.post("/memories", new JsonObject().put("messages", text).put("user_id", user)
      .put("infer", false));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.json().getJsonArray("results").getJsonObject(0).getString("id");
  }
}
