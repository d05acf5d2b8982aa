package dev.memgate.graph.extract;

import dev.memgate.contract.BusFailureException;
import dev.memgate.contract.LlmBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExtractionTest {

  private static JsonObject reply(JsonObject json) {
    return new JsonObject().put(LlmBus.JSON, json).put(LlmBus.PROVIDER, "openai");
  }

  private static JsonObject rel(String source, String relationship, String destination, String validFrom) {
    return new JsonObject().put("source", source).put("relationship", relationship).put("destination", destination)
      .put("valid_from", validFrom);
  }

  @Test
  void namesAreNormalisedAndTheSpeakerIsTheScopesUser() {
    JsonObject json = new JsonObject()
      .put("entities", new JsonArray().add(new JsonObject().put("name", "New York City").put("type", "City")))
      .put("relations", new JsonArray()
        .add(rel("I", "Lives In", "  New  York-City. ", "2021-03"))
        .add(rel("my", "has_pet", "\"Rex\"", null))
        .add(rel("Alice-42", "likes", "jazz", "not a date"))
        .add(rel("me", "likes", "", null))
        .add(rel("rex", "is", "rex", null)));

    Extraction.Result result = Extraction.read(reply(json), "Alice-42");

    assertThat(result.relations()).containsExactly(
      new Extraction.Relation("Alice-42", "lives_in", "new_york_city", "2021-03-01T00:00:00.000Z"),
      new Extraction.Relation("Alice-42", "has_pet", "rex", null),
      new Extraction.Relation("Alice-42", "likes", "jazz", null));
    assertThat(result.entities()).containsEntry("new_york_city", "city").containsEntry("Alice-42", "person")
      .containsEntry("rex", "entity");
  }

  @Test
  void aReplyWithoutRelationsIsAFailureNotNothing() {
    assertThatThrownBy(() -> Extraction.read(reply(new JsonObject().put("facts", new JsonArray())), "u"))
      .isInstanceOf(BusFailureException.class).hasMessageContaining("relations");
  }

  @Test
  void contradictionsKeepOnlyNumbersThatWereShown() {
    JsonObject json = new JsonObject().put("invalidate", new JsonArray().add(1).add("0").add(7).add(-1).add("x"));
    assertThat(Contradictions.read(reply(json), 2)).containsExactly(1, 0);
  }

  @Test
  void relationNamesCannotCarryCypher() {
    assertThat(Names.relation("KNOWS]->(x) DETACH DELETE x //")).isEqualTo("knows_x_detach_delete_x");
    assertThat(Names.relation("  ")).isNull();
  }
}
