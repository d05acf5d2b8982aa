package dev.memgate.vector.pgvector;

import dev.memgate.contract.Scope;
import dev.memgate.vector.MemoryRecord;
import dev.memgate.vector.MemoryStore;
import dev.memgate.vector.filter.Filter;
import dev.memgate.vector.filter.FilterParser;
import dev.memgate.vector.filter.Operator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that the SQL translation of filters means exactly what {@link Filter#matches} means: thousands of filters
 * (every field kind × every operator × awkward literals, then random AND / OR / NOT trees) run against real
 * PostgreSQL and against the Java evaluator over the same memories, and must pick the same memories.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// NUL never reaches a store: the parser refuses it in field names and literals (see FilterParserTest).
class FilterSqlEquivalenceTest {
  private static final String USER = "filter-user";
  private static final List<String> FIELDS = List.of("user_id", "agent_id", "run_id", "actor_id", "role",
    "created_at", "updated_at", "s", "n", "b", "arr", "obj", "mixed", "missing", "é", "emoji😀", "it's",
    "id", "memory");
  private static final List<Object> SCALARS = List.of("a", "A", "b", "", "ab", "é", "É", "😀", "\uFFFD", "\uE000",
    "İ", "i̇", "ı", "i", "straße", "STRASSE", "10", "9", "x", "a'b", "x\\y", "2026-03-01T00:00:00.000Z",
    "2026-03", "assistant", "user", "agent-1", "'; DROP TABLE memgate_memories; --", "$1", 0, 1, 1.0, 1.5, -2, 10,
    9, 1e20, 0.1, new BigInteger("12345678901234567890"), true, false);

  private Vertx vertx;
  private TestDatabase database;
  private PgVectorMemoryStore store;
  private final List<MemoryRecord> records = new ArrayList<>();

  @BeforeAll
  void storeVariedMemories() {
    vertx = Vertx.vertx();
    database = new TestDatabase(vertx);
    store = new PgVectorMemoryStore(vertx, database.storeConfig());
    store.open(new MemoryStore.EmbeddingSpec("test-model", 3)).await();
    List<Object> values = new ArrayList<>(List.of("a", "A", "b", "ab", "", "é", "É", "😀", "\uFFFD", "\uE000", "İ",
      "i", "ı", "straße", "STRASSE", "10", "9", "a'b", "x\\y", "$1", "'; DROP TABLE memgate_memories; --",
      "2026-03-01T00:00:00.000Z", 0, 1, 1.0, 1.5, -2, 10, 9, 1e20, 0.1, 100000000000000000000.0,
      new BigInteger("12345678901234567890"), true, false,
      new JsonArray().add("a").add("b"), new JsonArray().add(1).add(2.5), new JsonArray().add("A").add(1).add(true),
      new JsonArray().add(new JsonArray().add("a")), new JsonArray().add(new JsonObject().put("a", 1)),
      new JsonArray(), new JsonArray().add("é").add("😀"), new JsonArray().addNull().add("x"),
      new JsonArray().add("İ").add("straße"), new JsonObject().put("a", 1), new JsonObject()));
    String[] agents = {null, "agent-1", "agent-2"};
    String[] runs = {null, "run-1"};
    String[] actors = {null, "alice", "Bob", "😀"};
    String[] roles = {"user", "assistant", null};
    for (int i = 0; i < values.size(); i++) {
      Object value = values.get(i);
      JsonObject metadata = new JsonObject()
        .put("s", value instanceof String ? value : "s" + i)
        .put("n", value instanceof Number ? value : i)
        .put("mixed", value);
      if (i % 3 == 0) {
        metadata.put("b", i % 2 == 0);
      }
      if (value instanceof JsonArray) {
        metadata.put("arr", value);
      }
      if (value instanceof JsonObject) {
        metadata.put("obj", value);
      }
      if (i % 4 == 0) {
        metadata.put("é", value instanceof String ? value : "é" + i).put("emoji😀", i).put("it's", "yes");
      }
      if (i % 7 == 0) {
        // Not possible through the API (metadata values may not be null), but a null must read as absent.
        metadata.putNull("missing-or-null");
      }
      String created = "2026-0" + (1 + i % 5) + "-0" + (1 + i % 9) + "T10:00:00.000Z";
      records.add(new MemoryRecord(UUID.randomUUID().toString(), "memory number " + i, "hash-" + i,
        new Scope(USER, agents[i % agents.length], runs[i % runs.length]), actors[i % actors.length],
        roles[i % roles.length], metadata, created, i % 2 == 0 ? created : "2026-06-01T00:00:00.000Z",
        new float[] {1, i, 0.5f}));
    }
    store.insert(records).await();
  }

  @AfterAll
  void dropDatabase() {
    if (store != null) {
      store.close().await();
    }
    if (database != null) {
      database.close();
    }
    vertx.close().await();
  }

  @Test
  void everyFieldOperatorAndLiteralSelectsWhatTheJavaEvaluatorSelects() {
    List<JsonObject> filters = new ArrayList<>();
    for (String field : FIELDS) {
      for (Object literal : SCALARS) {
        filters.add(single(field, "eq", literal));
        filters.add(single(field, "ne", literal));
        if (literal instanceof String || literal instanceof Number) {
          for (String op : List.of("gt", "gte", "lt", "lte")) {
            filters.add(single(field, op, literal));
          }
        }
        if (literal instanceof String) {
          filters.add(single(field, "contains", literal));
          filters.add(single(field, "icontains", literal));
        }
      }
      filters.add(single(field, "eq", null));
      filters.add(single(field, "ne", null));
      filters.add(single(field, "exists", true));
      filters.add(single(field, "exists", false));
      filters.add(new JsonObject().put(field, "*"));
      for (JsonArray list : lists()) {
        filters.add(single(field, "in", list));
        filters.add(single(field, "nin", list));
      }
    }
    assertSameSelection(filters);
  }

  @Test
  void randomAndOrNotTreesSelectWhatTheJavaEvaluatorSelects() {
    Random random = new Random(20261123);
    List<JsonObject> filters = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      filters.add(tree(random, 0));
    }
    assertSameSelection(filters);
  }

  @Test
  void mem0StyleFiltersWithScopeIdsAndSeveralKeysSelectWhatTheJavaEvaluatorSelects() {
    assertSameSelection(List.of(
      new JsonObject().put("user_id", USER).put("agent_id", "agent-1"),
      new JsonObject().put("AND", new JsonArray().add(new JsonObject().put("role", "user"))
        .add(new JsonObject().put("n", new JsonObject().put("gte", 1).put("lt", 10)))),
      new JsonObject().put("$or", new JsonArray().add(new JsonObject().put("actor_id", "alice"))
        .add(new JsonObject().put("arr", new JsonObject().put("contains", "a")))),
      new JsonObject().put("NOT", new JsonObject().put("mixed", new JsonObject().put("in",
        new JsonArray().add("a").add(1).add(true)))),
      new JsonObject().put("created_at", new JsonObject().put("gte", "2026-02").put("lt", "2026-04"))));
  }

  private void assertSameSelection(List<JsonObject> filters) {
    List<String> mismatches = new ArrayList<>();
    for (JsonObject json : filters) {
      Filter filter = FilterParser.parse(json);
      Set<String> expected = records.stream()
        .filter(r -> filter.matches(new JsonObject(r.filterView().encode())))
        .map(r -> r.text().substring("memory number ".length()))
        .collect(Collectors.toCollection(TreeSet::new));
      Set<String> actual = store.list(new Scope(USER, null, null), filter, 1_000).await().stream()
        .map(r -> r.text().substring("memory number ".length()))
        .collect(Collectors.toCollection(TreeSet::new));
      if (!expected.equals(actual)) {
        mismatches.add(json.encode() + "\n    java: " + expected + "\n    sql:  " + actual);
      }
    }
    assertThat(mismatches).as("%d of %d filters disagree; first ones:\n%s", mismatches.size(), filters.size(),
      String.join("\n", mismatches.subList(0, Math.min(15, mismatches.size())))).isEmpty();
    assertThat(filters.size()).isGreaterThan(0);
  }

  private static JsonObject single(String field, String operator, Object literal) {
    return new JsonObject().put(field, new JsonObject().put(operator, literal));
  }

  private static List<JsonArray> lists() {
    return List.of(new JsonArray(), new JsonArray().add("a"), new JsonArray().add("a").add("b").add(1),
      new JsonArray().add(1).add(1.5).add(true), new JsonArray().add("é").add("😀"),
      new JsonArray().add("agent-1").add("user").add("alice"), new JsonArray().add(false).add("10"),
      new JsonArray().add("2026-03-01T00:00:00.000Z").add(1e20));
  }

  private JsonObject tree(Random random, int depth) {
    int kind = depth >= 3 ? 3 : random.nextInt(5);
    if (kind < 3) {
      JsonArray parts = new JsonArray();
      int count = 1 + random.nextInt(3);
      for (int i = 0; i < count; i++) {
        parts.add(tree(random, depth + 1));
      }
      return new JsonObject().put(List.of("AND", "OR", "NOT").get(kind), parts);
    }
    String field = FIELDS.get(random.nextInt(FIELDS.size()));
    Operator operator = Operator.values()[random.nextInt(Operator.values().length)];
    Object literal = SCALARS.get(random.nextInt(SCALARS.size()));
    Object value = switch (operator) {
      case EQ, NE -> random.nextInt(10) == 0 ? null : literal;
      case GT, GTE, LT, LTE -> literal instanceof Boolean ? "m" : literal;
      case IN, NIN -> lists().get(random.nextInt(lists().size()));
      case CONTAINS, ICONTAINS -> literal instanceof String ? literal : String.valueOf(literal);
      case EXISTS -> random.nextBoolean();
    };
    return single(field, operator.wireName(), value);
  }

  @Test
  void theTranslationNeverPutsALiteralIntoTheSqlText() {
    SqlParams params = new SqlParams();
    String literal = "'; DROP TABLE memgate_memories; --";
    String sql = new FilterSql(params, true).condition(FilterParser.parse(new JsonObject()
      .put(literal, new JsonObject().put("eq", literal))
      .put("role", new JsonObject().put("in", new JsonArray().add(literal)))
      .put("s", new JsonObject().put("icontains", literal).put("gt", literal))));
    assertThat(sql).doesNotContain("DROP").doesNotContain("';");
    assertThat(params.size()).isGreaterThanOrEqualTo(5);
    assertThat(Arrays.asList(sql.split("\\$")).size()).isGreaterThan(5);
  }
}
