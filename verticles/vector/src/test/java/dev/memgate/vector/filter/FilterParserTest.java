package dev.memgate.vector.filter;

import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailureException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.memgate.vector.filter.FilterSemanticsTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * How mem0's filter JSON is read, and how every mistake in it is refused: a bad-input failure whose field is the
 * exact place of the mistake (e.g. {@code filters.age.between}), so that a caller can find it in a large filter.
 */
class FilterParserTest {

  @ParameterizedTest(name = "{0} is refused at {1}")
  @MethodSource("mistakes")
  void aMistakeIsRefusedNamingItsPlace(String filter, String field) {
    BusFailureException refused = refuse(json(filter));
    assertThat(refused.failure().field()).isEqualTo(field);
    assertThat(refused.failure().detail()).startsWith(field + ": ");
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
      refused("{'age': {'between': [1, 2]}}", "filters.age.between"),
      refused("{'age': {'$between': [1, 2]}}", "filters.age.$between"),
      refused("{'age': {'gt': 1, 'like': 'x'}}", "filters.age.like"),
      refused("{'age': {}}", "filters.age"),
      refused("{'AND': {'age': 1}}", "filters.AND"),
      refused("{'AND': []}", "filters.AND"),
      refused("{'or': [1]}", "filters.or[0]"),
      refused("{'OR': [{'a': 1}, 'b']}", "filters.OR[1]"),
      refused("{'NOT': 'x'}", "filters.NOT"),
      refused("{'NOT': []}", "filters.NOT"),
      refused("{'age': {'gt': true}}", "filters.age.gt"),
      refused("{'age': {'gt': null}}", "filters.age.gt"),
      refused("{'age': {'lte': [1]}}", "filters.age.lte"),
      refused("{'age': {'in': 'x'}}", "filters.age.in"),
      refused("{'age': {'in': [1, [2]]}}", "filters.age.in[1]"),
      refused("{'age': {'in': [null]}}", "filters.age.in[0]"),
      refused("{'age': {'nin': {'a': 1}}}", "filters.age.nin"),
      refused("{'note': {'contains': 5}}", "filters.note.contains"),
      refused("{'note': {'icontains': null}}", "filters.note.icontains"),
      refused("{'note': {'exists': 'yes'}}", "filters.note.exists"),
      refused("{'note': {'exists': null}}", "filters.note.exists"),
      refused("{'note': {'eq': {'a': 1}}}", "filters.note.eq"),
      refused("{'note': {'ne': [1]}}", "filters.note.ne"),
      refused("{'note': ['a', 'b']}", "filters.note"),
      refused("{'OR': [{'a': 1}, {'b': {'like': 'x'}}]}", "filters.OR[1].b.like"),
      refused("{'AND': [{'NOT': [{'c': {'gt': {}}}]}]}", "filters.AND[0].NOT[0].c.gt"),
      refused("{'NOT': {'c': {'regex': '.*'}}}", "filters.NOT.c.regex"),
      // values no store can hold can never match: refused rather than compared
      refused("{'age': {'gt': 1e400}}", "filters.age.gt"),
      refused("{'age': -1e400}", "filters.age"),
      refused("{'age': {'in': [1, 1e400]}}", "filters.age.in[1]"),
      refused("{'note': 'a\\u0000b'}", "filters.note"),
      refused("{'note': {'contains': 'x\\ud800'}}", "filters.note.contains"),
      refused("{'note': {'nin': ['ok', '\\udc00']}}", "filters.note.nin[1]"),
      refused("{'no\\u0000te': 1}", "filters.no\u0000te"));
  }

  @Test
  void aListHoldsAtMostAThousandValues() {
    JsonArray values = new JsonArray();
    IntStream.range(0, 1_001).forEach(values::add);
    BusFailureException refused = refuse(new JsonObject().put("age", new JsonObject().put("in", values)));
    assertThat(refused.failure().field()).isEqualTo("filters.age.in");

    values.remove(0);
    assertThat(FilterParser.parse(new JsonObject().put("age", new JsonObject().put("in", values)))
      .matches(new JsonObject().put("age", 1_000))).isTrue();
  }

  @Test
  void filtersNestDeeperThanSixteenLevelsAreRefused() {
    JsonObject filter = new JsonObject().put("a", 1);
    for (int level = 0; level < 16; level++) {
      filter = new JsonObject().put("AND", new JsonArray().add(filter));
    }
    assertThat(FilterParser.parse(filter).matches(new JsonObject().put("a", 1))).isTrue();

    BusFailureException refused = refuse(new JsonObject().put("AND", new JsonArray().add(filter)));
    assertThat(refused.failure().field()).isEqualTo("filters" + ".AND[0]".repeat(17));
  }

  @Test
  void aFilterHoldsAtMostFiveHundredTwelveConditions() {
    JsonArray parts = new JsonArray();
    for (int i = 0; i < 513; i++) {
      parts.add(new JsonObject().put("k" + i, i));
    }
    BusFailureException refused = refuse(new JsonObject().put("OR", parts));
    assertThat(refused.failure().field()).isEqualTo("filters.OR[512].k512");

    parts.remove(512);
    assertThat(FilterParser.parse(new JsonObject().put("OR", parts)).matches(new JsonObject().put("k511", 511)))
      .isTrue();
  }

  @Test
  void noFilterAndAnEmptyFilterMatchEverything() {
    assertThat(FilterParser.parse(null).isMatchAll()).isTrue();
    assertThat(FilterParser.parse(new JsonObject()).isMatchAll()).isTrue();
    assertThat(FilterParser.parse(json("{'a': 1}")).isMatchAll()).isFalse();
  }

  @Test
  void theShorthandsMeanTheirLongForms() {
    assertThat(FilterParser.parse(json("{'city': 'Lisbon'}")))
      .isEqualTo(new Filter.Compare("city", Operator.EQ, "Lisbon"));
    assertThat(FilterParser.parse(json("{'city': '*'}")))
      .isEqualTo(new Filter.Compare("city", Operator.EXISTS, true));
    assertThat(FilterParser.parse(json("{'city': {'exists': false}}")))
      .isEqualTo(new Filter.None(List.of(new Filter.Compare("city", Operator.EXISTS, true))));
    assertThat(FilterParser.parse(json("{'city': 'Lisbon', 'age': {'$GTE': 18}}")))
      .isEqualTo(new Filter.All(List.of(new Filter.Compare("city", Operator.EQ, "Lisbon"),
        new Filter.Compare("age", Operator.GTE, 18))));
  }

  private static Arguments refused(String filter, String field) {
    return Arguments.of(filter, field);
  }

  private static BusFailureException refuse(JsonObject filter) {
    BusFailureException refused = catchThrowableOfType(BusFailureException.class, () -> FilterParser.parse(filter));
    assertThat(refused).as("refusal of %s", filter.encode()).isNotNull();
    assertThat(refused.failure().error()).isEqualTo(BusError.BAD_INPUT);
    return refused;
  }
}
