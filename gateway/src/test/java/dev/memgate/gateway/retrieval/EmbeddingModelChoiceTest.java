package dev.memgate.gateway.retrieval;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code embedder.model} picks a bundled model: the service embeds with it, searches with it, and its store
 * remembers it, so that a store is never searched with another model's vectors, even one of the same size.
 */
class EmbeddingModelChoiceTest {

  @Test
  void aServiceOnBgeSearchesWithItAndItsStoreRefusesAnotherModelOfTheSameSize(@TempDir Path dataDir) {
    try (RunningService bge = RunningService.start(new LuceneStore(), dataDir,
      Map.of("EMBEDDER_MODEL", "bge-small-en-v1.5-q"), false)) {
      Api api = bge.api();
      JsonObject components = api.get("/health").json().getJsonObject("components");
      assertThat(components.getJsonObject("embedding").getString("model")).isEqualTo("bge-small-en-v1.5-q");
      assertThat(components.getJsonObject("embedding").getInteger("dimension")).isEqualTo(384);
      assertThat(components.getJsonObject("vector_store").getString("embedding_model"))
        .isEqualTo("bge-small-en-v1.5-q");

      Reply added = api.post("/memories", new JsonObject().put("user_id", "ada").put("infer", false)
        .put("messages", new JsonArray()
          .add(new JsonObject().put("role", "user").put("content", "My sister lives in Canada with her husband"))
          .add(new JsonObject().put("role", "user").put("content", "I adopted a grey cat called Misty"))
          .add(new JsonObject().put("role", "user").put("content", "I work as a software engineer in Berlin"))));
      assertThat(added.status()).as(added.toString()).isEqualTo(200);
      for (String mode : new String[] {"vector", "hybrid"}) {
        JsonArray results = api.post("/search", new JsonObject().put("user_id", "ada").put("mode", mode)
          .put("query", "Which pet does she have?")).json().getJsonArray("results");
        assertThat(results.getJsonObject(0).getString("memory")).as(mode)
          .isEqualTo("I adopted a grey cat called Misty");
      }
    }

    assertThatThrownBy(() -> RunningService.start(new LuceneStore(), dataDir,
      Map.of("EMBEDDER_MODEL", "all-minilm-l6-v2"), false))
      .hasStackTraceContaining("was built with embedding model bge-small-en-v1.5-q (384 dimensions)")
      .hasStackTraceContaining("the configured embedder is all-minilm-l6-v2 (384 dimensions)");
  }
}
