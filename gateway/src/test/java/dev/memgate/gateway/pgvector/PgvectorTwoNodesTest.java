package dev.memgate.gateway.pgvector;

import dev.memgate.gateway.testing.PgvectorStore;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Two gateway nodes on one database: they start together and serve the same memories. */
class PgvectorTwoNodesTest {

  @Test
  void twoNodesStartTogetherOnAnEmptyDatabaseAndSeeEachOthersWrites() throws Exception {
    try (PgvectorStore store = new PgvectorStore()) {
      // Both migrate the empty database at the same moment; the advisory lock lets one do it and the other wait.
      CompletableFuture<RunningService> startA = CompletableFuture.supplyAsync(() -> RunningService.start(store));
      CompletableFuture<RunningService> startB = CompletableFuture.supplyAsync(() -> RunningService.start(store));
      try (RunningService a = startA.get(); RunningService b = startB.get()) {
        Reply added = a.api().post("/memories", new JsonObject().put("messages", "I keep bees in the garden")
          .put("user_id", "shared-user").put("metadata", new JsonObject().put("hobby", "bees")).put("infer", false));
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        String id = added.json().getJsonArray("results").getJsonObject(0).getString("id");

        Reply read = b.api().get("/memories/" + id);
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.json().getString("memory")).isEqualTo("I keep bees in the garden");
        JsonArray found = b.api().post("/search", new JsonObject().put("query", "what animals does she keep?")
          .put("user_id", "shared-user").put("filters", new JsonObject().put("hobby", "bees"))).json()
          .getJsonArray("results");
        assertThat(found).hasSize(1);
        assertThat(found.getJsonObject(0).getString("id")).isEqualTo(id);

        Reply again = b.api().post("/memories", new JsonObject().put("messages", "I keep bees in the garden")
          .put("user_id", "shared-user").put("infer", false));
        assertThat(again.json().getJsonArray("results").getJsonObject(0).getString("event")).isEqualTo("NONE");
        assertThat(again.json().getJsonArray("results").getJsonObject(0).getString("id")).isEqualTo(id);

        Reply changed = b.api().put("/memories/" + id, new JsonObject().put("text", "I keep two hives of bees"));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(a.api().get("/memories/" + id).json().getString("memory")).isEqualTo("I keep two hives of bees");
        assertThat(a.api().get("/memories/" + id + "/history").jsonArray()).hasSize(2);
        assertThat(store.sql("SELECT version FROM memgate_schema")).extracting(r -> r.getInteger("version"))
          .isEqualTo(List.of(1));
      }
    }
  }
}
