package dev.memgate.gateway.behaviour;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code POST /search}, whatever the vector store: ranking by meaning, by keywords or both (hybrid), what a memory
 * is searched as (its speaker and date too), explained scores, limits, the threshold, and the scope a search may
 * never leave.
 */
public abstract class SearchBehaviour extends BehaviourSuite {
  private static final List<String> LIFE = List.of(
    "My dog Rex loves long walks in the park",
    "I adopted a grey cat called Misty last year",
    "I work as a software engineer in Berlin",
    "My favourite food is Neapolitan pizza",
    "I go swimming every Saturday morning",
    "My sister lives in Canada with her husband");

  @Test
  void resultsComeBestFirst() {
    String ada = newUser();
    added(verbatim(user(ada), conversation(LIFE.toArray(String[]::new))));

    JsonArray results = found(ada, "What pets does she have?");

    assertThat(results).hasSize(LIFE.size());
    assertThat(texts(results).subList(0, 2)).containsExactlyInAnyOrder("My dog Rex loves long walks in the park",
      "I adopted a grey cat called Misty last year");
    assertNonIncreasing(scores(results));
    assertThat(texts(found(ada, "Where does her sister live?")).get(0))
      .isEqualTo("My sister lives in Canada with her husband");
    assertThat(texts(found(ada, "What is her job as an engineer?")).get(0))
      .isEqualTo("I work as a software engineer in Berlin");
    assertThat(scores(results)).allSatisfy(score -> assertThat(score).isBetween(-1.0, 1.0));
    JsonObject best = results.getJsonObject(0);
    assertThat(best.fieldNames()).contains("id", "memory", "hash", "metadata", "created_at", "updated_at",
      "user_id", "role", "score");
  }

  @Test
  void limitAndTopKCutTheRankingShort() {
    String ben = newUser();
    added(verbatim(user(ben), conversation(LIFE.toArray(String[]::new))));
    JsonObject query = user(ben).put("query", "Where does my family live?");
    List<String> ranking = ids(found(query.copy().put("limit", 100)));

    assertThat(ids(found(query.copy().put("limit", 2)))).containsExactlyElementsOf(ranking.subList(0, 2));
    assertThat(ids(found(query.copy().put("top_k", 3)))).containsExactlyElementsOf(ranking.subList(0, 3));
    assertThat(ids(found(query.copy().put("limit", 1).put("top_k", 5)))).containsExactly(ranking.get(0));
  }

  @Test
  void withoutALimitASearchGivesTheDefaultTen() {
    String cal = newUser();
    String[] notes = new String[12];
    for (int i = 0; i < notes.length; i++) {
      notes[i] = "Shopping list item " + i + ": something for the kitchen";
    }
    added(verbatim(user(cal), conversation(notes)));

    assertThat(found(user(cal).put("query", "kitchen shopping"))).hasSize(10);
  }

  @Test
  void aThresholdDropsEveryResultLessSimilarThanIt() {
    String dee = newUser();
    added(verbatim(user(dee), conversation(LIFE.toArray(String[]::new))));
    JsonObject query = user(dee).put("query", "Tell me about her dog and her cat").put("limit", 100)
      .put("mode", "vector");
    JsonArray all = found(query);
    List<Double> scores = scores(all);
    assertThat(scores.get(1)).as("two results clearly above the rest").isGreaterThan(scores.get(2));
    double threshold = Math.max(0.0, (scores.get(1) + scores.get(2)) / 2);

    JsonArray kept = found(query.copy().put("threshold", threshold));

    assertThat(scores(kept)).allSatisfy(score -> assertThat(score).isGreaterThanOrEqualTo(threshold));
    List<String> expected = ids(all).subList(0, (int) scores.stream().filter(s -> s >= threshold).count());
    assertThat(ids(kept)).containsExactlyElementsOf(expected).hasSizeGreaterThanOrEqualTo(2);
    assertThat(found(query.copy().put("threshold", 0.99))).isEmpty();
    assertThat(found(query.copy().put("threshold", 0))).hasSize((int) scores.stream().filter(s -> s >= 0).count());
  }

  @Test
  void inHybridModeTheThresholdIsOnTheSimilarityNotOnTheFusedScore() {
    String fox = newUser();
    added(verbatim(user(fox), conversation(LIFE.toArray(String[]::new))));
    JsonObject query = user(fox).put("query", "Tell me about her dog and her cat").put("limit", 100)
      .put("mode", "hybrid").put("explain", true);
    JsonArray all = found(query);
    List<Double> similarities = new ArrayList<>();
    all.forEach(item -> similarities.add(((JsonObject) item).getJsonObject("score_details").getDouble("vector")));
    List<Double> sorted = similarities.stream().sorted(Comparator.reverseOrder()).toList();
    double threshold = (sorted.get(1) + sorted.get(2)) / 2;

    JsonArray kept = found(query.copy().put("threshold", threshold));

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (similarities.get(i) >= threshold) {
        expected.add(all.getJsonObject(i).getString("id"));
      }
    }
    assertThat(ids(kept)).containsExactlyElementsOf(expected).hasSize(2);
    assertThat(found(query.copy().put("threshold", 0.99))).isEmpty();
    // keyword mode has no similarity to compare: the threshold changes nothing
    JsonObject byWords = user(fox).put("query", "dog cat").put("mode", "keyword");
    assertThat(ids(found(byWords.copy().put("threshold", 0.99)))).isEqualTo(ids(found(byWords))).isNotEmpty();
  }

  @Test
  void aSearchNeverReturnsAnotherScopesMemory() {
    String eve = newUser();
    String fay = newUser();
    String agent = newId("agent");
    String eveFood = remember(eve, "My favourite food is sushi");
    String fayFood = remember(fay, "My favourite food is pizza");
    String eveWithAgent = remember(user(eve).put("agent_id", agent), "My favourite drink is green tea", null);
    String fayWithAgent = remember(user(fay).put("agent_id", agent), "My favourite drink is coffee", null);

    assertThat(ids(found(eve, "favourite food"))).containsExactlyInAnyOrder(eveFood, eveWithAgent);
    assertThat(ids(found(fay, "favourite food"))).containsExactlyInAnyOrder(fayFood, fayWithAgent);
    assertThat(ids(found(user(eve).put("agent_id", agent).put("query", "favourite food"))))
      .containsExactly(eveWithAgent);
    assertThat(ids(found(new JsonObject().put("agent_id", agent).put("query", "favourite drink"))))
      .containsExactlyInAnyOrder(eveWithAgent, fayWithAgent);
    assertThat(found(user(eve).put("run_id", newId("run")).put("query", "favourite food"))).isEmpty();
    assertThat(found(newUser(), "favourite food")).isEmpty();
  }

  @Test
  void theScopeMayBeGivenInsideTheFiltersAsMem0DoesNow() {
    String gus = newUser();
    String hal = newUser();
    String run = newId("run");
    String gusPlain = remember(gus, "I am vegetarian");
    String gusInRun = remember(user(gus).put("run_id", run), "Today I cooked a vegetable curry", null);
    remember(hal, "I am vegetarian too");

    assertThat(ids(found(new JsonObject().put("query", "diet").put("filters", user(gus)))))
      .containsExactlyInAnyOrder(gusPlain, gusInRun);
    assertThat(ids(found(new JsonObject().put("query", "diet").put("filters", new JsonObject().put("run_id", run)))))
      .containsExactly(gusInRun);
    assertThat(ids(found(new JsonObject().put("query", "diet").put("filters", user(gus).put("run_id", run)))))
      .containsExactly(gusInRun);
    // only plain equality names a scope: anything else needs the ids at the top level
    assertProblem(search(new JsonObject().put("query", "diet")
      .put("filters", new JsonObject().put("user_id", new JsonObject().put("in", new JsonArray().add(gus))))),
      400, "user_id");
  }

  @Test
  void aSearchWithoutScopeIsRefusedNamingTheField() {
    assertProblem(search(new JsonObject().put("query", "anything")), 400, "user_id");
    assertProblem(search(new JsonObject().put("query", "anything").put("filters", json("{'topic': 'x'}"))), 400,
      "user_id");
  }

  @Test
  void keywordModeRanksByTheWordsOfTheQuery() {
    String ian = newUser();
    String daily = remember(ian, "I play the guitar every evening");
    String strings = remember(ian, "New guitar strings need a day to settle, my guitar teacher says");
    remember(ian, "My cat sleeps all day");

    JsonArray byWords = found(user(ian).put("query", "guitar").put("mode", "keyword"));

    assertThat(ids(byWords)).containsExactlyInAnyOrder(daily, strings);
    assertNonIncreasing(scores(byWords));
    assertThat(scores(byWords)).allSatisfy(score -> assertThat(score).isPositive());
    assertThat(found(user(ian).put("query", "guitar").put("mode", "vector"))).hasSize(3);
    assertThat(found(user(ian).put("query", "piano lessons").put("mode", "keyword"))).isEmpty();
    assertThat(ids(found(user(ian).put("query", "guitar").put("mode", "keyword").put("limit", 1))))
      .containsExactly(byWords.getJsonObject(0).getString("id"));
  }

  @Test
  void keywordModeStaysInScopeAndHonoursFilters() {
    String jon = newUser();
    String kim = newUser();
    String mine = remember(user(jon), "I bake sourdough bread on Sundays", new JsonObject().put("topic", "food"));
    remember(user(jon), "I read about bread history", new JsonObject().put("topic", "books"));
    remember(kim, "I bake rye bread");

    JsonArray results = found(user(jon).put("query", "bread").put("mode", "keyword")
      .put("filters", json("{'topic': 'food'}")));

    assertThat(ids(results)).containsExactly(mine);
  }

  @Test
  void everyModeRanksTheScopesMemoriesBestFirst() {
    String amy = newUser();
    added(verbatim(user(amy), conversation(LIFE.toArray(String[]::new))));

    for (String mode : List.of("vector", "keyword", "hybrid")) {
      JsonArray results = found(user(amy).put("query", "Where does her sister live?").put("mode", mode));
      assertThat(texts(results)).as(mode).isNotEmpty();
      assertThat(texts(results).get(0)).as(mode).isEqualTo("My sister lives in Canada with her husband");
      assertNonIncreasing(scores(results));
    }
    JsonArray hybrid = found(user(amy).put("query", "What pets does she have?").put("mode", "hybrid"));
    // no memory says "pets": keywords alone find nothing, and hybrid still ranks by meaning
    assertThat(found(user(amy).put("query", "What pets does she have?").put("mode", "keyword"))).isEmpty();
    assertThat(hybrid).hasSize(LIFE.size());
    assertThat(texts(hybrid).subList(0, 2)).containsExactlyInAnyOrder("My dog Rex loves long walks in the park",
      "I adopted a grey cat called Misty last year");
    assertThat(scores(hybrid)).allSatisfy(score -> assertThat(score).isBetween(0.0, 1.0));
  }

  @Test
  void explainShowsWhatEachScoreIsMadeOf() {
    String bob = newUser();
    added(verbatim(user(bob), conversation(LIFE.toArray(String[]::new))));
    JsonObject query = user(bob).put("query", "my sister in Canada").put("explain", true);

    JsonArray hybrid = found(query.copy().put("mode", "hybrid"));
    for (Object item : hybrid) {
      JsonObject result = (JsonObject) item;
      JsonObject parts = result.getJsonObject("score_details");
      assertThat(parts.getDouble("fused")).isEqualTo(result.getDouble("score"));
      assertThat(parts.getDouble("vector_part") + parts.getDouble("keyword_part"))
        .isCloseTo(result.getDouble("score"), within(1e-9));
      assertThat(parts.getDouble("vector")).isBetween(-1.0, 1.0);
    }
    JsonObject best = hybrid.getJsonObject(0);
    assertThat(best.getString("memory")).isEqualTo("My sister lives in Canada with her husband");
    assertThat(best.getJsonObject("score_details").getDouble("keyword")).isPositive();
    assertThat(best.getJsonObject("score_details").getInteger("keyword_rank")).isEqualTo(1);

    JsonObject byVector = found(query.copy().put("mode", "vector")).getJsonObject(0);
    assertThat(byVector.getJsonObject("score_details").getDouble("vector")).isEqualTo(byVector.getDouble("score"));
    JsonObject byKeyword = found(query.copy().put("mode", "keyword")).getJsonObject(0);
    assertThat(byKeyword.getJsonObject("score_details").getDouble("keyword")).isEqualTo(byKeyword.getDouble("score"));
    assertThat(found(query.copy().put("mode", "hybrid").put("explain", false)))
      .allSatisfy(item -> assertThat(((JsonObject) item).containsKey("score_details")).isFalse());
  }

  @Test
  void aMemoryIsFoundByTheNameOfWhoSaidIt() {
    String chat = newUser();
    added(user(chat).put("infer", false).put("messages", new JsonArray()
      .add(message("user", "I went to a support group yesterday, it was powerful").put("name", "Caroline"))
      .add(message("user", "I went to a pottery class yesterday, it was relaxing").put("name", "Melanie"))
      .add(message("user", "I went hiking with my kids last weekend").put("name", "Melanie"))));

    for (String mode : List.of("vector", "keyword", "hybrid")) {
      JsonObject best = found(user(chat).put("query", "Where did Caroline go yesterday?").put("mode", mode))
        .getJsonObject(0);
      assertThat(best.getString("actor_id")).as(mode).isEqualTo("Caroline");
      // search sees the speaker; the memory stays exactly what was said
      assertThat(best.getString("memory")).as(mode).isEqualTo("I went to a support group yesterday, it was powerful");
    }
  }

  @Test
  void aTimestampDatesTheMemoriesAndSearchFindsThemByThatDate() {
    String dan = newUser();
    String may = added(user(dan).put("infer", false).put("timestamp", 1_683_554_160)
      .put("messages", conversation("We celebrated my birthday at the lake"))).getJsonObject(0).getString("id");
    String july = added(user(dan).put("infer", false).put("timestamp", "2023-07-20T18:00:00+02:00")
      .put("messages", conversation("We celebrated our anniversary at the lake"))).getJsonObject(0).getString("id");

    assertThat(get(may).getString("created_at")).isEqualTo("2023-05-08T13:56:00.000Z");
    assertThat(get(july).getString("created_at")).isEqualTo("2023-07-20T16:00:00.000Z");
    for (String mode : List.of("keyword", "hybrid")) {
      assertThat(ids(found(user(dan).put("query", "What did we celebrate in May 2023?").put("mode", mode)))
        .get(0)).as(mode).isEqualTo(may);
      assertThat(ids(found(user(dan).put("query", "What did we celebrate in July?").put("mode", mode)))
        .get(0)).as(mode).isEqualTo(july);
    }
  }

  @Test
  void anUpdatedMemoryIsStillFoundByWhoSaidIt() {
    String eli = newUser();
    String hers = added(user(eli).put("infer", false).put("messages", new JsonArray()
      .add(message("user", "I play tennis on Mondays").put("name", "Caroline")))).getJsonObject(0).getString("id");
    added(user(eli).put("infer", false).put("messages", new JsonArray()
      .add(message("user", "I study marine biology at the university").put("name", "Melanie"))));

    assertThat(api.put("/memories/" + hers, new JsonObject().put("text", "I study marine biology")).status())
      .isEqualTo(200);

    for (String mode : List.of("vector", "keyword", "hybrid")) {
      JsonObject best = found(user(eli).put("query", "What does Caroline study?").put("mode", mode)).getJsonObject(0);
      assertThat(best.getString("id")).as(mode).isEqualTo(hers);
      assertThat(best.getString("memory")).as(mode).isEqualTo("I study marine biology");
    }
  }

  @Test
  void anUnknownModeIsRefusedNamingIt() {
    String lou = newUser();
    assertProblem(search(user(lou).put("query", "x").put("mode", "fuzzy")), 400, "mode");
    assertProblem(search(user(lou).put("query", "x").put("mode", 1)), 400, "mode");
  }

  /**
   * How rare a word is gets judged within the scope: another user who says "hiking" a hundred times must not change
   * how this user's memories rank (nor, through the scores, tell anything about what others stored).
   */
  @Test
  void keywordScoresDependOnlyOnTheScopesOwnMemories() {
    String gus = newUser();
    added(verbatim(user(gus), conversation("I went hiking in the Alps with my brother",
      "I bought a red kayak for the summer", "My brother fixed the kayak trailer")));
    JsonObject query = user(gus).put("query", "hiking kayak brother").put("mode", "keyword");
    JsonArray before = found(query);

    String crowd = newUser();
    List<String> chatter = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      chatter.add("hiking trip number " + i + " up the hill");
    }
    added(verbatim(user(crowd), conversation(chatter.toArray(String[]::new))));
    JsonArray after = found(query);

    assertThat(ids(after)).containsExactlyElementsOf(ids(before)).hasSize(3);
    for (int i = 0; i < before.size(); i++) {
      assertThat(scores(after).get(i)).isCloseTo(scores(before).get(i), within(1e-6));
    }
  }

  private static void assertNonIncreasing(List<Double> scores) {
    for (int i = 1; i < scores.size(); i++) {
      assertThat(scores.get(i)).as("score %d of %s", i, scores).isLessThanOrEqualTo(scores.get(i - 1));
    }
  }
}
