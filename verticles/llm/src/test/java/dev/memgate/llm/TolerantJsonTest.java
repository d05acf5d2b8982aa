package dev.memgate.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What local models actually send back instead of bare JSON, and what must stay an error. */
class TolerantJsonTest {

  @Test
  void plainJsonIsReadAsIs() throws Exception {
    assertThat(TolerantJson.read("{\"facts\": [\"a\"]}"))
      .isEqualTo(new JsonObject().put("facts", new JsonArray().add("a")));
  }

  @Test
  void fencesProseReasoningAndTrailingCommasAreTolerated() throws Exception {
    String reply = "<think>Let me think about {this}.</think>\nSure, here it is:\n```json\n"
      + "{\"facts\": [\"Likes tea\", \"Has a cat, named \\\"Tom\\\",\",],}\n```\nHope that helps!";
    assertThat(TolerantJson.readObject(reply).getJsonArray("facts"))
      .containsExactly("Likes tea", "Has a cat, named \"Tom\",");
  }

  @Test
  void theFirstCompleteObjectIsTaken() throws Exception {
    assertThat(TolerantJson.readObject("Answer: {\"facts\": []} and also {\"other\": 1}"))
      .isEqualTo(new JsonObject().put("facts", new JsonArray()));
    assertThat(TolerantJson.readObject("not this {broken} but this: {\"facts\": [\"x\"]}"))
      .isEqualTo(new JsonObject().put("facts", new JsonArray().add("x")));
  }

  @Test
  void halfJsonProseAndEmptyRepliesAreErrorsNotEmptyResults() {
    assertThatThrownBy(() -> TolerantJson.read("{\"facts\": [\"Likes su"))
      .isInstanceOf(TolerantJson.Unreadable.class).hasMessageContaining("could not be read as JSON");
    assertThatThrownBy(() -> TolerantJson.read("I could not find any facts."))
      .isInstanceOf(TolerantJson.Unreadable.class);
    assertThatThrownBy(() -> TolerantJson.read("  ")).isInstanceOf(TolerantJson.Unreadable.class)
      .hasMessageContaining("empty");
    assertThatThrownBy(() -> TolerantJson.readObject("[\"a\", \"b\"]"))
      .isInstanceOf(TolerantJson.Unreadable.class).hasMessageContaining("array");
  }
}
