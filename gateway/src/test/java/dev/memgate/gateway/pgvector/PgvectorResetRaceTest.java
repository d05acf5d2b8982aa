package dev.memgate.gateway.pgvector;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.PgvectorStore;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reset truncates the tables while adds hold row locks of theirs: PostgreSQL breaks the deadlock by aborting one
 * transaction, which the store runs again (it was rolled back whole). Every request is answered as usual: the
 * fuzz suite saw a 500 here before.
 */
class PgvectorResetRaceTest {
  @Test
  void resetsAmongConcurrentAddsAreAnsweredWithoutAnInternalError() {
    try (PgvectorStore store = new PgvectorStore(); RunningService service = RunningService.start(store, Map.of())) {
      Api api = service.api();
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      List<CompletableFuture<String>> answers = new ArrayList<>();
      for (int round = 0; round < 30; round++) {
        for (int i = 0; i < 6; i++) {
          JsonArray messages = new JsonArray();
          for (int m = 0; m < 5; m++) {
            messages.add(new JsonObject().put("role", "user").put("content", "round " + round + " note " + i + "-"
              + m + " about the garden"));
          }
          answers.add(send(client, api, "/memories", new JsonObject().put("messages", messages)
            .put("user_id", "race-" + (i % 3)).put("infer", false)));
        }
        answers.add(send(client, api, "/reset", new JsonObject()));
        if (answers.size() >= 28) {
          answers.forEach(CompletableFuture::join);
          answers.forEach(answer -> assertThat(answer.join()).startsWith("200 "));
          answers.clear();
        }
      }
      answers.forEach(answer -> assertThat(answer.join()).startsWith("200 "));
    }
  }

  private static CompletableFuture<String> send(HttpClient client, Api api, String path, JsonObject body) {
    return client.sendAsync(HttpRequest.newBuilder(api.uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString())
      .thenApply(reply -> reply.statusCode() + " " + reply.body());
  }
}
