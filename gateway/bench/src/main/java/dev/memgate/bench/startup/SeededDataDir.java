package dev.memgate.bench.startup;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * A data directory that already holds memories, as a user's does when the service restarts: filled once per jar
 * through the HTTP API of the jar's own service ({@code infer:false}, a batch of messages per add), which is then
 * stopped cleanly. Every launch over it opens the same store; searches do not change it.
 */
final class SeededDataDir {
  static final String USER = "startup-user";
  private static final int PER_ADD = 50;
  private static final List<String> PEOPLE = List.of("my sister", "my neighbour", "our manager", "my cousin",
    "the dentist", "my best friend", "the landlord", "my grandmother");
  private static final List<String> DOINGS = List.of("moved to Lisbon", "started learning the cello",
    "adopted a grey cat", "ran a half marathon", "switched to a vegetarian diet", "bought an electric bike",
    "booked a trip to Kyoto", "painted the kitchen yellow", "joined a chess club", "lost her car keys again");
  private static final List<String> WHENS = List.of("last week", "in May", "on Sunday morning", "after the holidays",
    "two years ago", "yesterday", "in the spring", "before the wedding");

  private SeededDataDir() {
  }

  /** Fills {@code dir} (empty) with {@code memories} memories of {@link #USER}, using the configuration's jar. */
  static void fill(LaunchConfiguration configuration, Path dir, int memories, Duration timeout) throws IOException {
    Files.createDirectories(dir);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Random random = new Random(42);
    try (ChildService service = ChildService.launch(configuration, dir, false, java.util.Map.of())) {
      new HttpStartupProbe().measure(service, USER, "warm up", timeout);
      for (int done = 0; done < memories; done += PER_ADD) {
        JsonArray messages = new JsonArray();
        for (int i = done; i < Math.min(memories, done + PER_ADD); i++) {
          messages.add(new JsonObject().put("role", "user").put("content", "Note " + i + ": "
            + PEOPLE.get(random.nextInt(PEOPLE.size())) + " " + DOINGS.get(random.nextInt(DOINGS.size())) + " "
            + WHENS.get(random.nextInt(WHENS.size()))));
        }
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
              + service.httpPort() + "/memories")).timeout(Duration.ofSeconds(120))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("messages", messages).put("user_id", USER)
              .put("infer", false).encode())).build(), HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) {
          throw new IllegalStateException("seeding the data directory failed: " + reply.statusCode() + " "
            + reply.body());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }
}
