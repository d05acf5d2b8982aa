package dev.memgate.graph.search;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SearchRankingTest {

  private static JsonObject candidate(String source, String relationship, String destination, double semantic) {
    return new JsonObject().put("source", source).put("relationship", relationship).put("destination", destination)
      .put("semantic", semantic);
  }

  @Test
  void theRelationTheQueryNamesComesFirstAmongEquallyCloseOnes() {
    List<JsonObject> ranked = Rerank.rank("Where does Ana live?", List.of(
      candidate("bob", "works_at", "acme", 0.40),
      candidate("ana", "lives_in", "berlin", 0.40),
      candidate("ana", "likes", "tea", 0.40)), 2);

    assertThat(ranked).hasSize(2);
    assertThat(ranked.get(0).getString("destination")).isEqualTo("berlin");
    assertThat(ranked.get(0).getDouble("score")).isGreaterThan(ranked.get(1).getDouble("score"));
  }

  @Test
  void meaningCountsWhenNoWordIsShared() {
    List<JsonObject> ranked = Rerank.rank("my home town", List.of(
      candidate("u", "works_for", "lufthansa", 0.10),
      candidate("u", "lives_in", "munich", 0.45)), 5);
    assertThat(ranked.get(0).getString("destination")).isEqualTo("munich");
  }

  @Test
  void queryNamesAreWordsAndShortRunsWithoutStopWords() {
    assertThat(QueryNames.of("Where does my sister live in New York?", "Alice"))
      .contains("Alice", "sister", "new_york", "new", "york", "live")
      .doesNotContain("where", "does", "my", "in", "my_sister", "in_new");
  }
}
