package dev.memgate.vector.filter;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference semantics of mem0's filter language, as {@link Filter#matches} defines them: every store (Lucene,
 * PostgreSQL, ...) must give exactly these answers. Each row reads "this filter, on a memory whose filter view is
 * this, matches (or not)". A filter view is the caller's metadata plus user_id, agent_id, run_id, actor_id, role,
 * created_at and updated_at. JSON is written with single quotes for readability.
 */
class FilterSemanticsTest {

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @MethodSource({"equality", "notEqual", "ordering", "membership", "containment", "existence", "logic",
    "identityFields"})
  void aFilterMatchesExactlyTheViewsItShould(String filter, String view, boolean expected) {
    Filter parsed = FilterParser.parse(json(filter));
    assertThat(parsed.matches(json(view))).isEqualTo(expected);
  }

  static Stream<Arguments> equality() {
    return Stream.of(
      matches("{'city': 'Lisbon'}", "{'city': 'Lisbon'}"),
      misses("{'city': 'Lisbon'}", "{'city': 'lisbon'}"),
      misses("{'city': 'Lisbon'}", "{'city': 'Lisbon '}"),
      misses("{'city': 'Lisbon'}", "{}"),
      matches("{'city': {'eq': 'Lisbon'}}", "{'city': 'Lisbon'}"),
      misses("{'city': {'eq': 'Lisbon'}}", "{'town': 'Lisbon'}"),
      // numbers compare by value, whatever their JSON spelling
      matches("{'age': 30}", "{'age': 30.0}"),
      matches("{'age': 30.0}", "{'age': 30}"),
      matches("{'age': 3e1}", "{'age': 30}"),
      matches("{'age': 0.1}", "{'age': 0.10}"),
      matches("{'id': 123456789012345678901234567890}", "{'id': 123456789012345678901234567890}"),
      misses("{'id': 123456789012345678901234567890}", "{'id': 123456789012345678901234567891}"),
      matches("{'balance': -2.5}", "{'balance': -2.50}"),
      // a number never equals a string, nor a boolean its text
      misses("{'age': 30}", "{'age': '30'}"),
      misses("{'age': '30'}", "{'age': 30}"),
      matches("{'age': '30'}", "{'age': '30'}"),
      matches("{'vegan': true}", "{'vegan': true}"),
      misses("{'vegan': true}", "{'vegan': false}"),
      misses("{'vegan': true}", "{'vegan': 'true'}"),
      misses("{'vegan': 1}", "{'vegan': true}"),
      // an array field equals a value when one of its elements does
      matches("{'tags': 'red'}", "{'tags': ['red', 'blue']}"),
      matches("{'tags': {'eq': 'blue'}}", "{'tags': ['red', 'blue']}"),
      misses("{'tags': 'green'}", "{'tags': ['red', 'blue']}"),
      matches("{'scores': 2}", "{'scores': [1, 2.0, 3]}"),
      misses("{'tags': 'red'}", "{'tags': [['red']]}"),
      misses("{'tags': 'red'}", "{'tags': []}"),
      // objects are never equal to a scalar
      misses("{'address': 'Lisbon'}", "{'address': {'city': 'Lisbon'}}"),
      // null stands for "absent"
      matches("{'city': null}", "{}"),
      matches("{'city': {'eq': null}}", "{}"),
      matches("{'city': {'eq': null}}", "{'city': null}"),
      misses("{'city': {'eq': null}}", "{'city': 'Lisbon'}"),
      misses("{'city': ''}", "{}"),
      matches("{'city': ''}", "{'city': ''}"));
  }

  static Stream<Arguments> notEqual() {
    return Stream.of(
      matches("{'city': {'ne': 'Lisbon'}}", "{'city': 'Porto'}"),
      misses("{'city': {'ne': 'Lisbon'}}", "{'city': 'Lisbon'}"),
      // ne is "not eq": a memory without the field matches
      matches("{'city': {'ne': 'Lisbon'}}", "{}"),
      matches("{'age': {'ne': 30}}", "{'age': '30'}"),
      misses("{'age': {'ne': 30}}", "{'age': 30.0}"),
      misses("{'tags': {'ne': 'red'}}", "{'tags': ['red', 'blue']}"),
      matches("{'tags': {'ne': 'red'}}", "{'tags': ['blue']}"),
      matches("{'city': {'ne': null}}", "{'city': 'Lisbon'}"),
      misses("{'city': {'ne': null}}", "{}"));
  }

  static Stream<Arguments> ordering() {
    return Stream.of(
      matches("{'age': {'gt': 30}}", "{'age': 31}"),
      misses("{'age': {'gt': 30}}", "{'age': 30}"),
      matches("{'age': {'gt': 30}}", "{'age': 30.5}"),
      matches("{'age': {'gte': 30}}", "{'age': 30}"),
      matches("{'age': {'gte': 30}}", "{'age': 30.0}"),
      misses("{'age': {'gte': 30}}", "{'age': 29.999}"),
      matches("{'age': {'lt': 30}}", "{'age': 29.9}"),
      misses("{'age': {'lt': 30}}", "{'age': 30}"),
      matches("{'age': {'lte': 30}}", "{'age': 30.0}"),
      misses("{'age': {'lte': 30}}", "{'age': 31}"),
      matches("{'balance': {'lt': 0}}", "{'balance': -0.5}"),
      matches("{'id': {'gt': 123456789012345678901234567889}}", "{'id': 123456789012345678901234567890}"),
      // several operators on one field must all hold: a range
      matches("{'age': {'gte': 18, 'lt': 65}}", "{'age': 18}"),
      matches("{'age': {'gte': 18, 'lt': 65}}", "{'age': 64.5}"),
      misses("{'age': {'gte': 18, 'lt': 65}}", "{'age': 65}"),
      misses("{'age': {'gte': 18, 'lt': 65}}", "{'age': 17}"),
      // numbers and strings are never compared with each other, nor anything else with either
      misses("{'age': {'gt': 30}}", "{'age': '31'}"),
      misses("{'age': {'lt': 30}}", "{'age': '1'}"),
      misses("{'age': {'gt': '30'}}", "{'age': 31}"),
      misses("{'age': {'gt': 0}}", "{'age': true}"),
      misses("{'age': {'gt': 0}}", "{'age': [5]}"),
      misses("{'age': {'gte': 0}}", "{'age': null}"),
      // a missing field is neither greater nor smaller than anything
      misses("{'age': {'gt': 30}}", "{}"),
      misses("{'age': {'lt': 30}}", "{}"),
      // strings compare in code-point order: '4' > '30', 'Z' < 'a'
      matches("{'grade': {'gt': '30'}}", "{'grade': '4'}"),
      matches("{'name': {'lt': 'a'}}", "{'name': 'Z'}"),
      matches("{'name': {'gte': 'b'}}", "{'name': 'b'}"),
      misses("{'name': {'gt': 'b'}}", "{'name': 'b'}"),
      matches("{'name': {'gt': 'b'}}", "{'name': 'ba'}"),
      // ... so ISO-8601 timestamps sort by time, and a bare date is the start of that day
      matches("{'due': {'gte': '2026-01-01T00:00:00.000Z'}}", "{'due': '2026-03-05T10:00:00.000Z'}"),
      misses("{'due': {'lt': '2026-01-01T00:00:00.000Z'}}", "{'due': '2026-03-05T10:00:00.000Z'}"),
      matches("{'due': {'gt': '2026-03-05'}}", "{'due': '2026-03-05T00:00:00.000Z'}"),
      matches("{'due': {'lt': '2026-03-06'}}", "{'due': '2026-03-05T23:59:59.999Z'}"));
  }

  static Stream<Arguments> membership() {
    return Stream.of(
      matches("{'city': {'in': ['Lisbon', 'Porto']}}", "{'city': 'Porto'}"),
      misses("{'city': {'in': ['Lisbon', 'Porto']}}", "{'city': 'Faro'}"),
      misses("{'city': {'in': ['Lisbon', 'Porto']}}", "{}"),
      matches("{'age': {'in': [30, 40]}}", "{'age': 30.0}"),
      misses("{'age': {'in': [30, 40]}}", "{'age': '30'}"),
      matches("{'age': {'in': ['30', 40]}}", "{'age': '30'}"),
      matches("{'vegan': {'in': [true]}}", "{'vegan': true}"),
      matches("{'tags': {'in': ['red', 'green']}}", "{'tags': ['blue', 'green']}"),
      misses("{'tags': {'in': ['red', 'green']}}", "{'tags': ['blue']}"),
      misses("{'city': {'in': []}}", "{'city': 'Lisbon'}"),
      matches("{'city': {'nin': ['Lisbon', 'Porto']}}", "{'city': 'Faro'}"),
      misses("{'city': {'nin': ['Lisbon', 'Porto']}}", "{'city': 'Porto'}"),
      // nin is "not in": a memory without the field matches
      matches("{'city': {'nin': ['Lisbon', 'Porto']}}", "{}"),
      misses("{'tags': {'nin': ['red']}}", "{'tags': ['red', 'blue']}"),
      matches("{'tags': {'nin': ['red']}}", "{'tags': ['blue']}"),
      matches("{'city': {'nin': []}}", "{'city': 'Lisbon'}"));
  }

  static Stream<Arguments> containment() {
    return Stream.of(
      matches("{'note': {'contains': 'tea'}}", "{'note': 'green tea every morning'}"),
      misses("{'note': {'contains': 'Tea'}}", "{'note': 'green tea'}"),
      matches("{'note': {'icontains': 'TEA'}}", "{'note': 'Green Tea'}"),
      matches("{'note': {'icontains': 'ção'}}", "{'note': 'ATENÇÃO'}"),
      misses("{'note': {'contains': 'coffee'}}", "{'note': 'green tea'}"),
      matches("{'note': {'contains': ''}}", "{'note': 'anything'}"),
      misses("{'note': {'contains': 'tea'}}", "{}"),
      // contains looks inside text only, never inside numbers
      misses("{'zip': {'contains': '12'}}", "{'zip': 1234}"),
      // on an array it means "has this element": whole elements, not parts of them
      matches("{'tags': {'contains': 'red'}}", "{'tags': ['red', 'blue']}"),
      misses("{'tags': {'contains': 're'}}", "{'tags': ['red', 'blue']}"),
      misses("{'tags': {'contains': 'Red'}}", "{'tags': ['red']}"),
      matches("{'tags': {'icontains': 'RED'}}", "{'tags': ['red']}"),
      misses("{'tags': {'icontains': 'RE'}}", "{'tags': ['red']}"),
      misses("{'tags': {'contains': '1'}}", "{'tags': [1, 2]}"));
  }

  static Stream<Arguments> existence() {
    return Stream.of(
      matches("{'note': '*'}", "{'note': 'x'}"),
      matches("{'note': '*'}", "{'note': ''}"),
      matches("{'note': '*'}", "{'note': 0}"),
      matches("{'note': '*'}", "{'note': false}"),
      matches("{'note': '*'}", "{'note': []}"),
      misses("{'note': '*'}", "{}"),
      misses("{'note': '*'}", "{'note': null}"),
      matches("{'note': {'exists': true}}", "{'note': 'x'}"),
      misses("{'note': {'exists': true}}", "{}"),
      matches("{'note': {'exists': false}}", "{}"),
      matches("{'note': {'exists': false}}", "{'note': null}"),
      misses("{'note': {'exists': false}}", "{'note': 'x'}"),
      // "*" is only special as the whole condition; as an operand it is plain text
      misses("{'note': {'eq': '*'}}", "{'note': 'x'}"),
      matches("{'note': {'eq': '*'}}", "{'note': '*'}"));
  }

  static Stream<Arguments> logic() {
    String view = "{'city': 'Lisbon', 'age': 30, 'tags': ['red']}";
    return Stream.of(
      matches("{}", "{}"),
      matches("{}", view),
      // several keys in one object must all match
      matches("{'city': 'Lisbon', 'age': 30}", view),
      misses("{'city': 'Lisbon', 'age': 31}", view),
      matches("{'AND': [{'city': 'Lisbon'}, {'age': {'gte': 18}}]}", view),
      misses("{'AND': [{'city': 'Lisbon'}, {'age': {'lt': 18}}]}", view),
      matches("{'OR': [{'city': 'Porto'}, {'age': 30}]}", view),
      misses("{'OR': [{'city': 'Porto'}, {'age': 31}]}", view),
      // NOT takes a list (none may match) or one object
      matches("{'NOT': [{'city': 'Porto'}, {'age': 31}]}", view),
      misses("{'NOT': [{'city': 'Porto'}, {'age': 30}]}", view),
      matches("{'NOT': {'city': 'Porto'}}", view),
      misses("{'NOT': {'city': 'Lisbon', 'age': 30}}", view),
      matches("{'NOT': {'city': 'Lisbon', 'age': 31}}", view),
      misses("{'NOT': [{'note': {'exists': false}}]}", view),
      // nesting, mem0's $-spellings and any letter case
      matches("{'OR': [{'AND': [{'city': 'Porto'}, {'age': 30}]}, {'NOT': [{'tags': 'blue'}]}]}", view),
      misses("{'OR': [{'AND': [{'city': 'Porto'}, {'age': 30}]}, {'NOT': [{'tags': 'red'}]}]}", view),
      matches("{'$or': [{'city': 'Porto'}, {'age': {'$gte': 30}}]}", view),
      matches("{'and': [{'city': 'Lisbon'}], 'Or': [{'age': 30}], '$Not': [{'age': 1}]}", view),
      matches("{'age': {'GT': 29, '$Lte': 30}}", view),
      // a logical key is combined with the plain keys beside it
      misses("{'city': 'Lisbon', 'OR': [{'age': 1}, {'age': 2}]}", view),
      matches("{'city': 'Lisbon', 'OR': [{'age': 1}, {'age': 30}]}", view));
  }

  static Stream<Arguments> identityFields() {
    String view = "{'topic': 'food', 'user_id': 'alice', 'agent_id': 'coach', 'actor_id': 'bob', 'role': 'user',"
      + " 'created_at': '2026-03-05T10:00:00.000Z', 'updated_at': '2026-03-06T08:30:00.000Z'}";
    return Stream.of(
      matches("{'user_id': 'alice'}", view),
      misses("{'user_id': 'bob'}", view),
      matches("{'agent_id': {'in': ['coach', 'tutor']}}", view),
      misses("{'run_id': '*'}", view),
      matches("{'run_id': {'exists': false}}", view),
      matches("{'actor_id': 'bob', 'role': {'ne': 'assistant'}}", view),
      matches("{'role': {'nin': ['assistant', 'tool']}}", view),
      matches("{'created_at': {'gte': '2026-03-05T10:00:00.000Z', 'lt': '2026-03-05T10:00:00.001Z'}}", view),
      misses("{'created_at': {'gt': '2026-03-05T10:00:00.000Z'}}", view),
      matches("{'updated_at': {'gt': '2026-03-05'}}", view),
      matches("{'OR': [{'actor_id': 'carol'}, {'topic': {'icontains': 'FOO'}}]}", view));
  }

  private static Arguments matches(String filter, String view) {
    return Arguments.of(filter, view, true);
  }

  private static Arguments misses(String filter, String view) {
    return Arguments.of(filter, view, false);
  }

  static JsonObject json(String singleQuoted) {
    return new JsonObject(singleQuoted.replace('\'', '"'));
  }
}
