package dev.memgate.gateway.config;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.ServiceProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listeners open while the embedding model is still loading. What a client that calls at once sees: /health is
 * truthful all along (503 STARTING, naming the embedding model as what is still starting, then 200 UP; never
 * DOWN), and a search or an add sent as soon as the port accepts waits for the model and is answered.
 */
class StartWhileModelLoadsTest {

  @Test
  void healthIsTruthfulDuringTheStartAndEarlyRequestsWaitForTheModel(@TempDir Path dataDir) throws Exception {
    int port = freePort();
    try (ServiceProcess process = ServiceProcess.start(Map.of("MEMGATE_DATA_DIR", dataDir.toString(),
      "MEMGATE_HTTP_PORT", String.valueOf(port)))) {
      Api api = new Api(port);
      long deadline = System.nanoTime() + 90_000_000_000L;
      while (!listening(port)) {
        assertThat(System.nanoTime()).as("the port opens; stderr:\n%s", process.stderr()).isLessThan(deadline);
        Thread.sleep(5);
      }
      List<Reply> early = new ArrayList<>();
      Thread client = Thread.ofVirtual().start(() -> {
        Reply added = api.post("/memories", new JsonObject().put("user_id", "early").put("infer", false)
          .put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", "I keep bees on the roof"))));
        Reply found = api.post("/search", new JsonObject().put("user_id", "early")
          .put("query", "what is on the roof?"));
        synchronized (early) {
          early.add(added);
          early.add(found);
        }
      });

      List<Reply> healths = new ArrayList<>();
      Reply health;
      do {
        health = api.get("/health");
        healths.add(health);
        Thread.sleep(10);
      } while (health.status() != 200 && System.nanoTime() < deadline);
      client.join(90_000);

      assertThat(health.status()).isEqualTo(200);
      assertThat(health.json().getString("status")).isEqualTo("UP");
      for (Reply answer : healths.subList(0, healths.size() - 1)) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(503);
        JsonObject body = answer.json();
        assertThat(body.getString("status")).as(answer.text()).isEqualTo("STARTING");
        assertThat(body.getJsonObject("components").getJsonObject("embedding").getString("status"))
          .isEqualTo("STARTING");
      }
      synchronized (early) {
        assertThat(early).hasSize(2);
        assertThat(early.get(0).status()).as(early.get(0).text()).isEqualTo(200);
        assertThat(early.get(1).status()).as(early.get(1).text()).isEqualTo(200);
        assertThat(early.get(1).json().getJsonArray("results").getJsonObject(0).getString("memory"))
          .isEqualTo("I keep bees on the roof");
      }
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException closed) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
