package dev.memgate.gateway.behaviour;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search filters, whatever the vector store: every operator of mem0's filter language over metadata and over the
 * id fields, with the semantics of the reference implementation (the filter unit tests of the vector module), and
 * every kind of mistake refused naming its place.
 *
 * <p>The filter cases read one small set of memories that {@link #rememberTheFamily()} stores once for the class;
 * no test writes to that user, so the cases stay independent.
 */
public abstract class FilterBehaviour extends BehaviourSuite {
  private static final String TEA = "tea";
  private static final String GUITAR = "guitar";
  private static final String MARATHON = "marathon";
  private static final String STAMPS = "stamps";
  private static final String PLANTS = "plants";
  private static final List<String> EVERYONE = List.of(TEA, GUITAR, MARATHON, STAMPS, PLANTS);

  /** The fixture's user, and each memory's short name by its text. */
  private String owner;
  private final Map<String, String> nameByText = new LinkedHashMap<>();
  private final Map<String, JsonObject> itemByName = new LinkedHashMap<>();

  @BeforeAll
  void rememberTheFamily() {
    owner = newUser();
    remember(TEA, new JsonObject().put("user_id", owner), message("user", "I drink green tea every morning")
      .put("name", "alice"), json("{'category': 'food', 'priority': 3, 'rating': 4.5, 'tags': ['drink', 'morning'],"
      + " 'vegan': true, 'note': 'Morning Ritual'}"));
    remember(GUITAR, new JsonObject().put("user_id", owner), message("assistant", "You play the guitar in a band")
      .put("name", "bob"), json("{'category': 'hobby', 'priority': 1, 'rating': 3, 'tags': ['music', 'band'],"
      + " 'vegan': false}"));
    remember(MARATHON, new JsonObject().put("user_id", owner).put("agent_id", "coach"),
      message("user", "I run a marathon every spring"), json("{'category': 'sport', 'priority': 5,"
        + " 'level': 'advanced', 'note': 'personal best 3h05'}"));
    remember(STAMPS, new JsonObject().put("user_id", owner).put("run_id", "run-7"),
      message("user", "I collect old stamps"), json("{'category': 'hobby', 'priority': '3'}"));
    remember(PLANTS, new JsonObject().put("user_id", owner).put("agent_id", "coach").put("run_id", "run-8"),
      message("user", "I water the plants on Sundays"), null);
    // the same text and metadata in another user's scope: no filter may reach it
    remember(newUser(), "I drink green tea every morning");
    added(verbatim(user(newUser()), conversation("I drink green tea every morning"))
      .put("metadata", json("{'category': 'food', 'priority': 3}")));
  }

  private void remember(String name, JsonObject scope, JsonObject message, JsonObject metadata) {
    JsonObject body = verbatim(scope, new JsonArray().add(message));
    if (metadata != null) {
      body.put("metadata", metadata);
    }
    String id = added(body).getJsonObject(0).getString("id");
    nameByText.put(message.getString("content"), name);
    itemByName.put(name, get(id));
  }

  /** The short names of the owner's memories this filter lets through a search. */
  private List<String> filtered(JsonObject filters) {
    JsonArray results = found(user(owner).put("query", "my habits").put("limit", 100).put("filters", filters));
    return texts(results).stream().map(nameByText::get).toList();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource({"equality", "ordering", "membership", "containment", "existence", "identityFields", "logic"})
  void aFilterKeepsExactlyTheMatchingMemories(String filter, List<String> expected) {
    assertThat(filtered(json(filter))).containsExactlyInAnyOrderElementsOf(expected);
  }

  static Stream<Arguments> equality() {
    return Stream.of(
      keeps("{}", EVERYONE),
      keeps("{'category': 'hobby'}", GUITAR, STAMPS),
      keeps("{'category': {'eq': 'hobby'}}", GUITAR, STAMPS),
      keeps("{'category': 'HOBBY'}"),
      keeps("{'category': {'ne': 'hobby'}}", TEA, MARATHON, PLANTS),
      keeps("{'priority': 3}", TEA),
      keeps("{'priority': 3.0}", TEA),
      keeps("{'priority': '3'}", STAMPS),
      keeps("{'priority': {'ne': 3}}", GUITAR, MARATHON, STAMPS, PLANTS),
      keeps("{'rating': 4.5}", TEA),
      keeps("{'rating': 3}", GUITAR),
      keeps("{'vegan': true}", TEA),
      keeps("{'vegan': false}", GUITAR),
      keeps("{'vegan': 'true'}"),
      keeps("{'category': null}", PLANTS),
      keeps("{'category': {'eq': null}}", PLANTS),
      keeps("{'category': {'ne': null}}", TEA, GUITAR, MARATHON, STAMPS),
      keeps("{'tags': 'drink'}", TEA),
      keeps("{'tags': {'eq': 'band'}}", GUITAR),
      keeps("{'tags': {'ne': 'drink'}}", GUITAR, MARATHON, STAMPS, PLANTS),
      keeps("{'tags': 'dri'}"));
  }

  static Stream<Arguments> ordering() {
    return Stream.of(
      keeps("{'priority': {'gt': 1}}", TEA, MARATHON),
      keeps("{'priority': {'gte': 3}}", TEA, MARATHON),
      keeps("{'priority': {'lt': 3}}", GUITAR),
      keeps("{'priority': {'lte': 3}}", TEA, GUITAR),
      keeps("{'priority': {'gte': 2, 'lte': 4}}", TEA),
      keeps("{'priority': {'gt': 5}}"),
      keeps("{'priority': {'gt': '2'}}", STAMPS),
      keeps("{'rating': {'gt': 3}}", TEA),
      keeps("{'rating': {'gte': 3}}", TEA, GUITAR),
      keeps("{'rating': {'lt': 4.5}}", GUITAR),
      keeps("{'rating': {'lte': 4.5, 'gt': 4.49}}", TEA),
      keeps("{'level': {'gt': 'a'}}", MARATHON),
      keeps("{'level': {'lt': 'a'}}"),
      keeps("{'category': {'gte': 'hobby'}}", GUITAR, MARATHON, STAMPS),
      keeps("{'category': {'lt': 'hobby'}}", TEA));
  }

  static Stream<Arguments> membership() {
    return Stream.of(
      keeps("{'category': {'in': ['food', 'sport']}}", TEA, MARATHON),
      keeps("{'category': {'in': ['nothing']}}"),
      keeps("{'priority': {'in': [1, 5]}}", GUITAR, MARATHON),
      keeps("{'priority': {'in': ['3']}}", STAMPS),
      keeps("{'priority': {'in': [3, '3']}}", TEA, STAMPS),
      keeps("{'tags': {'in': ['band', 'none']}}", GUITAR),
      keeps("{'category': {'nin': ['food', 'sport']}}", GUITAR, STAMPS, PLANTS),
      keeps("{'tags': {'nin': ['music', 'morning']}}", MARATHON, STAMPS, PLANTS));
  }

  static Stream<Arguments> containment() {
    return Stream.of(
      keeps("{'note': {'contains': 'Ritual'}}", TEA),
      keeps("{'note': {'contains': 'ritual'}}"),
      keeps("{'note': {'icontains': 'RITUAL'}}", TEA),
      keeps("{'note': {'contains': 'best'}}", MARATHON),
      keeps("{'category': {'contains': 'ob'}}", GUITAR, STAMPS),
      keeps("{'tags': {'contains': 'music'}}", GUITAR),
      keeps("{'tags': {'contains': 'mus'}}"),
      keeps("{'tags': {'icontains': 'MUSIC'}}", GUITAR),
      keeps("{'priority': {'contains': '3'}}", STAMPS));
  }

  static Stream<Arguments> existence() {
    return Stream.of(
      keeps("{'note': '*'}", TEA, MARATHON),
      keeps("{'note': {'exists': true}}", TEA, MARATHON),
      keeps("{'note': {'exists': false}}", GUITAR, STAMPS, PLANTS),
      keeps("{'tags': '*', 'vegan': '*'}", TEA, GUITAR),
      keeps("{'nothing': '*'}"),
      keeps("{'nothing': {'exists': false}}", EVERYONE));
  }

  static Stream<Arguments> identityFields() {
    return Stream.of(
      keeps("{'actor_id': 'alice'}", TEA),
      keeps("{'actor_id': {'in': ['alice', 'bob']}}", TEA, GUITAR),
      keeps("{'actor_id': {'exists': false}}", MARATHON, STAMPS, PLANTS),
      keeps("{'role': 'assistant'}", GUITAR),
      keeps("{'role': {'ne': 'assistant'}}", TEA, MARATHON, STAMPS, PLANTS),
      keeps("{'agent_id': 'coach'}", MARATHON, PLANTS),
      keeps("{'agent_id': {'ne': 'coach'}}", TEA, GUITAR, STAMPS),
      keeps("{'agent_id': '*'}", MARATHON, PLANTS),
      keeps("{'run_id': 'run-7'}", STAMPS),
      keeps("{'run_id': {'in': ['run-7', 'run-8']}}", STAMPS, PLANTS),
      keeps("{'run_id': {'gt': 'run-7'}}", PLANTS),
      keeps("{'agent_id': 'coach', 'run_id': {'exists': false}}", MARATHON),
      keeps("{'created_at': {'gt': '2000-01-01'}}", EVERYONE),
      keeps("{'created_at': {'lt': '2000-01-01T00:00:00.000Z'}}"),
      keeps("{'updated_at': '*'}", EVERYONE),
      keeps("{'hash': '*'}"));
  }

  static Stream<Arguments> logic() {
    return Stream.of(
      keeps("{'category': 'hobby', 'priority': '3'}", STAMPS),
      keeps("{'AND': [{'category': 'hobby'}, {'priority': 1}]}", GUITAR),
      keeps("{'OR': [{'category': 'food'}, {'category': 'sport'}]}", TEA, MARATHON),
      keeps("{'OR': [{'vegan': true}, {'agent_id': 'coach'}]}", TEA, MARATHON, PLANTS),
      keeps("{'NOT': [{'category': 'hobby'}]}", TEA, MARATHON, PLANTS),
      keeps("{'NOT': {'category': 'hobby'}}", TEA, MARATHON, PLANTS),
      keeps("{'NOT': [{'category': 'hobby'}, {'category': 'food'}]}", MARATHON, PLANTS),
      keeps("{'OR': [{'AND': [{'category': 'hobby'}, {'vegan': false}]}, {'agent_id': 'coach', 'run_id': 'run-8'}]}",
        GUITAR, PLANTS),
      keeps("{'category': 'hobby', 'OR': [{'priority': 1}, {'run_id': 'run-7'}], 'NOT': {'role': 'assistant'}}",
        STAMPS),
      keeps("{'$or': [{'priority': {'$gte': 5}}, {'tags': {'$contains': 'drink'}}]}", TEA, MARATHON),
      keeps("{'and': [{'category': 'food'}], 'not': [{'vegan': false}]}", TEA));
  }

  @Test
  void timestampsFilterByTime() {
    List<JsonObject> byAge = new ArrayList<>(itemByName.values());
    byAge.sort((a, b) -> a.getString("created_at").compareTo(b.getString("created_at")));
    String middle = byAge.get(2).getString("created_at");
    List<String> fromMiddle = byAge.stream().filter(item -> item.getString("created_at").compareTo(middle) >= 0)
      .map(item -> nameByText.get(item.getString("memory"))).toList();
    List<String> beforeMiddle = byAge.stream().filter(item -> item.getString("created_at").compareTo(middle) < 0)
      .map(item -> nameByText.get(item.getString("memory"))).toList();

    assertThat(filtered(json("{'created_at': {'gte': '" + middle + "'}}")))
      .containsExactlyInAnyOrderElementsOf(fromMiddle).contains(nameByText.get(byAge.get(2).getString("memory")));
    assertThat(filtered(json("{'created_at': {'lt': '" + middle + "'}}")))
      .containsExactlyInAnyOrderElementsOf(beforeMiddle);
    assertThat(filtered(json("{'created_at': '" + middle + "'}")))
      .contains(nameByText.get(byAge.get(2).getString("memory")));
  }

  @Test
  void filtersApplyBeforeTheLimit() {
    // the least similar memory to the query, yet the only one the filter lets through
    JsonArray results = found(user(owner).put("query", "I drink green tea every morning").put("limit", 1)
      .put("filters", json("{'run_id': 'run-8'}")));

    assertThat(texts(results)).containsExactly("I water the plants on Sundays");
  }

  @Test
  void aFilterOnTheUserCannotLeaveTheScope() {
    String stranger = newUser();
    remember(stranger, "I drink green tea every morning");

    assertThat(filtered(new JsonObject().put("user_id", stranger))).isEmpty();
    assertThat(filtered(json("{'OR': [{'category': 'food'}, {'user_id': '" + stranger + "'}]}"))).containsExactly(TEA);
  }

  @ParameterizedTest(name = "{0} is refused at {1}")
  @MethodSource("mistakes")
  void aBadFilterIsRefusedNamingItsPlace(String filter, String field) {
    // sent as written: a JSON library would turn 1e400 into the text "Infinity" on the way out
    String body = "{\"user_id\": \"" + owner + "\", \"query\": \"my habits\", \"filters\": "
      + filter.replace('\'', '"').replace("<NUL>", "\\u0000") + "}";
    assertProblem(api.postRaw("/search", body.getBytes(StandardCharsets.UTF_8), "application/json"), 400, field);
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
      Arguments.of("{'age': {'between': [1, 2]}}", "filters.age.between"),
      Arguments.of("{'age': {'$regex': '.*'}}", "filters.age.$regex"),
      Arguments.of("{'age': {}}", "filters.age"),
      Arguments.of("{'AND': {'age': 1}}", "filters.AND"),
      Arguments.of("{'OR': []}", "filters.OR"),
      Arguments.of("{'OR': [{'a': 1}, 'b']}", "filters.OR[1]"),
      Arguments.of("{'NOT': 5}", "filters.NOT"),
      Arguments.of("{'age': {'gt': true}}", "filters.age.gt"),
      Arguments.of("{'age': {'lt': null}}", "filters.age.lt"),
      Arguments.of("{'age': {'in': 'x'}}", "filters.age.in"),
      Arguments.of("{'age': {'nin': [1, [2]]}}", "filters.age.nin[1]"),
      Arguments.of("{'note': {'contains': 5}}", "filters.note.contains"),
      Arguments.of("{'note': {'exists': 'yes'}}", "filters.note.exists"),
      Arguments.of("{'note': {'eq': {'a': 1}}}", "filters.note.eq"),
      Arguments.of("{'note': ['a', 'b']}", "filters.note"),
      Arguments.of("{'OR': [{'a': 1}, {'b': {'like': 'x'}}]}", "filters.OR[1].b.like"),
      Arguments.of("{'age': {'gt': 1e400}}", "filters.age.gt"),
      Arguments.of("{'note': 'a<NUL>b'}", "filters.note"));
  }

  @Test
  void filtersMustBeAnObject() {
    assertProblem(search(user(owner).put("query", "x").put("filters", "category=food")), 400, "filters");
    assertProblem(search(user(owner).put("query", "x").put("filters", new JsonArray().add("food"))), 400, "filters");
  }

  private static Arguments keeps(String filter, String... names) {
    return Arguments.of(filter, List.of(names));
  }

  private static Arguments keeps(String filter, List<String> names) {
    return Arguments.of(filter, names);
  }
}
