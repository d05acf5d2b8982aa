package dev.memgate.memory.add;

import dev.memgate.contract.BusFailureException;
import dev.memgate.contract.LlmBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the model's decisions are mapped back to real ids and repaired so that no new fact is ever lost. */
class DecisionPlanTest {
  private static final List<DecisionPlan.Existing> EXISTING = List.of(
    new DecisionPlan.Existing("uuid-pizza", "Loves pizza"),
    new DecisionPlan.Existing("uuid-city", "Lives in Lisbon"));

  private static JsonObject reply(JsonObject... decisions) {
    return new JsonObject().put(LlmBus.PROVIDER, "openai")
      .put(LlmBus.JSON, new JsonObject().put("decisions", new JsonArray(List.of((Object[]) decisions))));
  }

  private static JsonObject d(Object fact, String event, String id, String text) {
    return new JsonObject().put("fact", fact).put("event", event).put("id", id).put("text", text);
  }

  private static List<String> summary(DecisionPlan.Result result) {
    return result.changes().stream().map(c -> c.event() + " " + c.memoryId() + " " + c.text()).toList();
  }

  @Test
  void promptIdsAreMappedBackToRealIds() {
    DecisionPlan.Result result = DecisionPlan.plan(reply(d(0, "UPDATE", "1", "Lives in Porto (before: Lisbon)")),
      EXISTING, List.of("Moved to Porto"), 1000);
    assertThat(summary(result)).containsExactly("UPDATE uuid-city Lives in Porto (before: Lisbon)");
    assertThat(result.changes().get(0).previousText()).isEqualTo("Lives in Lisbon");
    assertThat(result.repairs()).isZero();
  }

  @Test
  void aDeleteAlwaysKeepsTheNewFact() {
    DecisionPlan.Result result = DecisionPlan.plan(reply(d(0, "DELETE", "0", "")), EXISTING,
      List.of("Hates pizza now"), 1000);
    assertThat(summary(result)).containsExactly("DELETE uuid-pizza null", "ADD null Hates pizza now");
  }

  @Test
  void inventedAndRealLookingIdsAreIgnored() {
    DecisionPlan.Result result = DecisionPlan.plan(reply(
        d(0, "UPDATE", "5", "Has a dog"),
        d(1, "DELETE", "uuid-pizza", "Eats sushi"),
        d(2, "NONE", "42", "")),
      EXISTING, List.of("Has a dog", "Eats sushi", "Plays golf"), 1000);
    assertThat(summary(result)).containsExactly("ADD null Has a dog", "ADD null Eats sushi", "ADD null Plays golf");
    assertThat(result.repairs()).isEqualTo(4);
  }

  @Test
  void aMemoryIsChangedOnceAndForgottenFactsAreAdded() {
    DecisionPlan.Result result = DecisionPlan.plan(reply(
        d(0, "UPDATE", "0", "Loves pizza margherita"),
        d(1, "UPDATE", "0", "Loves pizza with olives")),
      EXISTING, List.of("Loves margherita", "Loves olives on pizza", "Has two kids"), 1000);
    assertThat(summary(result)).containsExactly("UPDATE uuid-pizza Loves pizza margherita",
      "ADD null Loves pizza with olives", "ADD null Has two kids");
  }

  @Test
  void knownAndRepeatedTextsAreNotAddedAgain() {
    DecisionPlan.Result result = DecisionPlan.plan(reply(
        d(0, "ADD", "", "loves pizza."),
        d(1, "NONE", "1", ""),
        d(2, "ADD", "", "Has a cat"),
        d(3, "ADD", "", "Has a cat")),
      EXISTING, List.of("Loves pizza", "Lives in Lisbon", "Has a cat", "Owns a cat"), 1000);
    assertThat(summary(result)).containsExactly("ADD null Has a cat");
    assertThat(result.known()).isEqualTo(3);
  }

  @Test
  void aReplyWithoutDecisionsIsAnErrorNamingTheProvider() {
    JsonObject noList = new JsonObject().put(LlmBus.PROVIDER, "ollama").put(LlmBus.JSON, new JsonObject()
      .put("answer", "ADD everything"));
    assertThatThrownBy(() -> DecisionPlan.plan(noList, EXISTING, List.of("x"), 1000))
      .isInstanceOf(BusFailureException.class)
      .satisfies(e -> assertThat(((BusFailureException) e).failure().dependency()).isEqualTo("llm:ollama"))
      .hasMessageContaining("no \"decisions\" list");
  }
}
