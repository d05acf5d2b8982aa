package dev.memgate.gateway.graph;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.Eventually;
import dev.memgate.gateway.testing.FakeLlmServer;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.memgate.gateway.graph.GraphScript.CONTRADICTIONS;
import static dev.memgate.gateway.graph.GraphScript.EXTRACTION;
import static dev.memgate.gateway.graph.GraphScript.QUERY_ENTITIES;
import static dev.memgate.gateway.graph.GraphScript.addOk;
import static dev.memgate.gateway.graph.GraphScript.facts;
import static dev.memgate.gateway.graph.GraphScript.graph;
import static dev.memgate.gateway.graph.GraphScript.invalidate;
import static dev.memgate.gateway.graph.GraphScript.newUser;
import static dev.memgate.gateway.graph.GraphScript.rel;
import static dev.memgate.gateway.graph.GraphScript.script;
import static dev.memgate.gateway.graph.GraphScript.search;
import static dev.memgate.gateway.graph.GraphScript.triples;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Graph memory end to end over HTTP: the real service (Lucene, ONNX embeddings, the graph verticle over the Bolt
 * driver) against the embedded Neo4j of the graph-embedded module, which the test starts itself so that it can
 * stop and restart it; the fake OpenAI server answers the extraction and contradiction calls. What Neo4j holds is
 * counted over Bolt. One Neo4j and one service for the whole class; every scenario uses its own users.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class)
class GraphMemoryTest {
  private FakeLlmServer fake;
  private TestNeo4j neo4j;
  private RunningService service;
  private Api api;

  @BeforeAll
  void start() {
    fake = new FakeLlmServer();
    neo4j = new TestNeo4j();
    Map<String, String> env = new HashMap<>(neo4j.environment());
    env.putAll(Map.of("LLM_PROVIDER", "openai", "OPENAI_BASE_URL", fake.baseUrl("openai"), "OPENAI_API_KEY",
      "sk-test", "MEMGATE_BREAKER_MAX_FAILURES", "50"));
    service = RunningService.start(new LuceneStore(), env);
    api = service.api();
  }

  @AfterAll
  void stop() {
    service.close();
    neo4j.close();
    fake.close();
  }

  @BeforeEach
  void resetFake() {
    fake.reset();
  }

  @Test
  void anAddWritesEntitiesAndRelationsAndSaysSo() {
    String user = newUser();
    fake.script(script(Map.of(
      "facts", call -> facts("Works at Acme as a nurse", "Has a dog named Rex"),
      EXTRACTION, call -> graph(rel("I", "works_at", "Acme", null), rel("my", "has_pet", "Rex", null)))));

    JsonObject reply = addOk(api, user, "I work at Acme as a nurse and my dog is called Rex");

    assertThat(reply.getString("graph")).isEqualTo("ok");
    assertThat(triples(reply.getJsonObject("relations").getJsonArray("added")))
      .containsExactlyInAnyOrder(user + " works_at acme", user + " has_pet rex");
    assertThat(reply.getJsonObject("relations").getJsonArray("invalidated")).isEmpty();
    // Facts and graph extraction, and nothing to decide or contradict for a new user: two LLM calls.
    assertThat(reply.getJsonObject("usage").getInteger("llm_calls")).isEqualTo(2);
    FakeLlmServer.Call extraction = fake.calls().stream().filter(c -> EXTRACTION.equals(c.outputName()))
      .findFirst().orElseThrow();
    assertThat(extraction.system()).contains("The user is \"" + user + "\"");
    assertThat(extraction.body().getJsonObject("response_format").getJsonObject("json_schema")
      .getBoolean("strict")).isTrue();
    assertThat(neo4j.nodesOf(user)).isEqualTo(3);
    assertThat(neo4j.relationsOf(user)).isEqualTo(2);

    JsonObject graph = api.get("/graph?user_id=" + Api.q(user)).json();
    assertThat(graph.getJsonArray("nodes")).hasSize(3);
    JsonObject edge = graph.getJsonArray("edges").stream().map(e -> (JsonObject) e)
      .filter(e -> "rex".equals(e.getString("destination"))).findFirst().orElseThrow();
    // The relation came from the memory that names Rex, not from the one about work.
    String rexMemory = memoryIdContaining(user, "Rex");
    assertThat(edge.getJsonArray("memory_ids")).containsExactly(rexMemory);
    assertThat(edge.getString("created_at")).isNotNull();
  }

  @Test
  void duplicateEntitiesMergeAndCountMentions() {
    String user = newUser();
    fake.script(script(Map.of("facts", call -> facts("Lives in Lisbon"),
      EXTRACTION, call -> graph(rel("I", "lives_in", "Lisbon", null)))));
    addOk(api, user, "I live in Lisbon");
    fake.script(script(Map.of("facts", call -> facts("Loves the food of Lisbon"),
      EXTRACTION, call -> graph(rel("me", "loves_food_of", "  LISBON. ", null)))));
    addOk(api, user, "I love the food in LISBON");
    fake.script(script(Map.of("facts", call -> facts("Goes running in Lisbon city"),
      EXTRACTION, call -> graph(rel("I", "runs_in", "lisbon city", null)))));
    addOk(api, user, "I go running in lisbon city");

    JsonArray nodes = api.get("/graph?user_id=" + Api.q(user)).json().getJsonArray("nodes");
    List<String> names = nodes.stream().map(n -> ((JsonObject) n).getString("name")).toList();
    // Same name after normalisation, and a name whose embedding is close: one node, three mentions.
    assertThat(names).containsExactlyInAnyOrder(user, "lisbon");
    JsonObject lisbon = nodes.stream().map(n -> (JsonObject) n).filter(n -> "lisbon".equals(n.getString("name")))
      .findFirst().orElseThrow();
    assertThat(lisbon.getInteger("mentions")).isEqualTo(3);
    assertThat(neo4j.count("MATCH (e:MemgateEntity {user_id: $u, name: 'lisbon'}) RETURN count(e)",
      Map.of("u", user))).isEqualTo(1);
    assertThat(neo4j.relationsOf(user)).isEqualTo(3);
  }

  @Test
  void aContradictedRelationIsInvalidatedNotDeletedAndAsOfShowsThePast() {
    String user = newUser();
    fake.script(script(Map.of("facts", call -> facts("Has lived in Porto since 2019"),
      EXTRACTION, call -> graph(rel("I", "lives_in", "Porto", "2019")))));
    addOk(api, user, "I have lived in Porto since 2019");
    fake.script(script(Map.of("facts", call -> facts("Moved to Lisbon in May 2024"),
      EXTRACTION, call -> graph(rel("I", "lives_in", "Lisbon", "2024-05-01")),
      CONTRADICTIONS, call -> call.user().contains("0: " + user + " -- lives_in -- porto") ? invalidate(0)
        : invalidate())));

    JsonObject reply = addOk(api, user, "I moved to Lisbon in May 2024");

    JsonArray invalidated = reply.getJsonObject("relations").getJsonArray("invalidated");
    assertThat(triples(invalidated)).containsExactly(user + " lives_in porto");
    assertThat(invalidated.getJsonObject(0).getString("valid_to")).isEqualTo("2024-05-01T00:00:00.000Z");
    assertThat(reply.getJsonObject("usage").getInteger("llm_calls")).isGreaterThanOrEqualTo(3);
    // Kept, not deleted: both relations are still in Neo4j, the old one closed.
    assertThat(neo4j.relationsOf(user)).isEqualTo(2);
    assertThat(neo4j.count("MATCH ()-[r:MEMGATE_RELATION {user_id: $u, name: 'lives_in'}]->(d {name: 'porto'}) "
      + "WHERE r.invalidated_at IS NOT NULL AND r.invalidated_by IS NOT NULL AND r.valid_to IS NOT NULL "
      + "RETURN count(r)", Map.of("u", user))).isEqualTo(1);

    JsonObject query = new JsonObject().put("query", "Where do I live?").put("user_id", user);
    assertThat(triples(search(api, query).getJsonArray("relations"))).containsExactly(user + " lives_in lisbon");
    assertThat(triples(search(api, query.copy().put("as_of", "2023-06-30")).getJsonArray("relations")))
      .containsExactly(user + " lives_in porto");
    assertThat(triples(search(api, query.copy().put("as_of", "2024-06-01")).getJsonArray("relations")))
      .containsExactly(user + " lives_in lisbon");
    JsonArray everything = search(api, query.copy().put("include_invalidated", true)).getJsonArray("relations");
    assertThat(triples(everything)).containsExactlyInAnyOrder(user + " lives_in lisbon", user + " lives_in porto");
    JsonObject porto = everything.stream().map(r -> (JsonObject) r)
      .filter(r -> "porto".equals(r.getString("destination"))).findFirst().orElseThrow();
    assertThat(porto.getString("valid_from")).isEqualTo("2019-01-01T00:00:00.000Z");
    assertThat(porto.getString("valid_to")).isEqualTo("2024-05-01T00:00:00.000Z");
    assertThat(porto.getString("invalidated_at")).isNotNull();
  }

  @Test
  void searchReturnsTheRelationsOfTheQueryRerankedWithScores() {
    String user = newUser();
    fake.script(script(Map.of("facts", call -> facts("Works at Acme", "Sister Ana lives in Berlin"),
      EXTRACTION, call -> graph(rel("I", "works_at", "Acme", null), rel("I", "has_sister", "Ana", null),
        rel("Ana", "lives_in", "Berlin", null)))));
    addOk(api, user, "I work at Acme. My sister Ana lives in Berlin.");
    fake.reset();
    fake.script(script(Map.of(QUERY_ENTITIES, call -> "{\"entities\": [\"Ana\"]}")));

    JsonObject reply = search(api, new JsonObject().put("query", "Where does Ana live?").put("user_id", user));

    JsonArray relations = reply.getJsonArray("relations");
    assertThat(triples(relations).get(0)).isEqualTo("ana lives_in berlin");
    JsonObject best = relations.getJsonObject(0);
    assertThat(best.fieldNames()).contains("source", "relationship", "destination", "valid_from", "score");
    assertThat(best.getDouble("score")).isBetween(0.0, 1.0);
    assertThat(relations.getJsonObject(relations.size() - 1).getDouble("score"))
      .isLessThanOrEqualTo(best.getDouble("score"));
    assertThat(reply.getJsonArray("results")).isNotEmpty();
    // With an LLM, the query's entities were asked of it.
    assertThat(fake.calls()).anyMatch(c -> QUERY_ENTITIES.equals(c.outputName()));
  }

  /** The MCP tool gives an assistant the same relations, for the session's user only. */
  @Test
  void searchGraphOverMcpAnswersWithTheUsersRelations() {
    String user = newUser();
    fake.script(script(Map.of("facts", call -> facts("Works at Acme"),
      EXTRACTION, call -> graph(rel("I", "works_at", "Acme", null)))));
    addOk(api, user, "I work at Acme.");
    fake.reset();
    fake.script(script(Map.of(QUERY_ENTITIES, call -> "{\"entities\": [\"Acme\"]}")));
    McpHttp mcp = new McpHttp(service.mcpBase());
    Map<String, String> asUser = Map.of("X-Memgate-User", user);
    String session = mcp.open("/mcp", asUser);

    JsonArray tools = mcp.call("/mcp", session, asUser, "tools/list", new JsonObject()).getJsonObject("result")
      .getJsonArray("tools");
    JsonObject result = mcp.tool("/mcp", session, asUser, "search_graph", new JsonObject()
      .put("query", "Where does the user work?"));

    assertThat(tools.stream().map(t -> ((JsonObject) t).getString("name"))).contains("search_graph");
    assertThat(result.getBoolean("isError", false)).isFalse();
    assertThat(triples(result.getJsonObject("structuredContent").getJsonArray("relations")))
      .contains(user + " works_at acme");
    String stranger = mcp.open("/mcp", Map.of("X-Memgate-User", newUser()));
    assertThat(mcp.tool("/mcp", stranger, Map.of(), "search_graph", new JsonObject().put("query", "Acme"))
      .getJsonObject("structuredContent").getJsonArray("relations")).isEmpty();
  }

  @Test
  void twoUsersWithTheSameNamesNeverSeeEachOther() {
    String alice = newUser();
    String bob = newUser();
    fake.script(script(Map.of("facts", call -> facts("Likes jazz"),
      EXTRACTION, call -> graph(rel("I", "likes", "Jazz", null), rel("jazz", "played_at", "Blue Note", null)))));
    addOk(api, alice, "I like jazz, played at the Blue Note");
    addOk(api, bob, "I like jazz, played at the Blue Note");

    assertThat(neo4j.nodesOf(alice)).isEqualTo(3);
    assertThat(neo4j.nodesOf(bob)).isEqualTo(3);
    assertThat(neo4j.count("MATCH (e:MemgateEntity {name: 'jazz'}) WHERE e.user_id IN [$a, $b] RETURN count(e)",
      Map.of("a", alice, "b", bob))).isEqualTo(2);
    JsonArray bobs = search(api, new JsonObject().put("query", "jazz").put("user_id", bob)
      .put("include_invalidated", true)).getJsonArray("relations");
    assertThat(triples(bobs)).isNotEmpty().allMatch(t -> !t.contains(alice));
    assertThat(api.get("/graph?user_id=" + Api.q(bob)).json().getJsonArray("edges").stream()
      .map(e -> ((JsonObject) e).getString("source"))).doesNotContain(alice);
  }

  @Test
  void deletingAMemoryRemovesWhatOnlyItSupported() {
    String user = newUser();
    fake.script(script(Map.of("facts", call -> facts("Plays the cello", "Lives in Ghent"),
      EXTRACTION, call -> graph(rel("I", "plays", "cello", null), rel("I", "lives_in", "Ghent", null)))));
    addOk(api, user, "I play the cello and live in Ghent");
    String cello = memoryIdContaining(user, "cello");

    Reply deleted = api.delete("/memories/" + cello);

    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
    assertThat(deleted.json().getString("graph")).isEqualTo("ok");
    assertThat(neo4j.count("MATCH ()-[r:MEMGATE_RELATION {user_id: $u, name: 'plays'}]->() RETURN count(r)",
      Map.of("u", user))).isZero();
    assertThat(neo4j.count("MATCH (e:MemgateEntity {user_id: $u, name: 'cello'}) RETURN count(e)",
      Map.of("u", user))).isZero();
    assertThat(neo4j.relationsOf(user)).isEqualTo(1);
    assertThat(neo4j.nodesOf(user)).isEqualTo(2);
  }

  @Test
  void deletingAUserLeavesNothingOfTheirsInNeo4j() throws Exception {
    String user = newUser();
    String other = newUser();
    fake.script(script(Map.of("facts", call -> facts("Has a cat named Tom"),
      EXTRACTION, call -> graph(rel("I", "has_pet", "Tom", null)))));
    addOk(api, user, "I have a cat named Tom");
    addOk(api, other, "I have a cat named Tom");
    assertThat(neo4j.nodesOf(user)).isPositive();

    Reply reply = api.delete("/memories?user_id=" + Api.q(user));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.json().getString("graph")).isEqualTo("ok");
    assertThat(neo4j.nodesOf(user)).isZero();
    assertThat(neo4j.relationsOf(user)).isZero();
    assertThat(neo4j.count("MATCH (n) WHERE any(k IN keys(n) WHERE n[k] = $u) RETURN count(n)", Map.of("u", user)))
      .isZero();
    assertThat(outboxFiles()).isZero();
    assertThat(neo4j.nodesOf(other)).isEqualTo(2);
  }

  @Test
  void whileNeo4jIsAwayAddsSucceedAndTheOutboxReplaysThemWhenItIsBack() throws Exception {
    String user = newUser();
    fake.script(script(Map.of("facts", call -> facts("Speaks Dutch", "Bakes bread"),
      EXTRACTION, call -> call.user().contains("Dutch")
        ? graph(rel("I", "speaks", "Dutch", null), rel("I", "bakes", "bread", null))
        : graph(rel("I", "plays", "chess", null)))));
    neo4j.stop();
    try {
      JsonObject reply = addOk(api, user, "I speak Dutch and I bake bread");
      assertThat(reply.getString("graph")).isEqualTo("pending");
      assertThat(triples(reply.getJsonObject("relations").getJsonArray("pending")))
        .containsExactlyInAnyOrder(user + " speaks dutch", user + " bakes bread");
      // The vector part is there already.
      assertThat(api.get("/memories?user_id=" + Api.q(user)).json().getJsonArray("results")).hasSize(2);
      String bread = memoryIdContaining(user, "bread");
      Reply deleted = api.delete("/memories/" + bread);
      assertThat(deleted.status()).isEqualTo(200);
      assertThat(deleted.json().getString("graph")).isEqualTo("pending");
      assertThat(addOk(api, user, "I play chess").getString("graph")).isEqualTo("pending");

      JsonObject health = api.get("/health").json();
      assertThat(health.getString("status")).isEqualTo("UP");
      JsonObject graph = health.getJsonObject("components").getJsonObject("graph");
      assertThat(graph.getString("status")).isEqualTo("DOWN");
      assertThat(graph.getJsonObject("outbox").getInteger("pending")).isEqualTo(3);
      assertThat(outboxFiles()).isEqualTo(3);
    } finally {
      neo4j.start();
    }
    awaitOutboxEmpty();

    assertThat(neo4j.count("MATCH (:MemgateEntity {user_id: $u})-[r:MEMGATE_RELATION]->(d) "
      + "RETURN count(r)", Map.of("u", user))).isEqualTo(2);
    assertThat(triples(new JsonArray(api.get("/graph?user_id=" + Api.q(user)).json().getJsonArray("edges")
      .stream().toList()))).containsExactlyInAnyOrder(user + " speaks dutch", user + " plays chess");
    // Applied once: the user's node was mentioned by the two adds, not more.
    assertThat(neo4j.count("MATCH (e:MemgateEntity {user_id: $u, name: $u}) RETURN e.mentions",
      Map.of("u", user))).isEqualTo(2);
    assertThat(outboxFiles()).isZero();
  }

  @Test
  void zResetWipesTheGraph() {
    String user = newUser();
    fake.script(script(Map.of("facts", call -> facts("Likes tea"),
      EXTRACTION, call -> graph(rel("I", "likes", "tea", null)))));
    addOk(api, user, "I like tea");
    assertThat(neo4j.count("MATCH (e:MemgateEntity) RETURN count(e)", Map.of())).isPositive();

    Reply reply = api.post("/reset", new JsonObject());

    assertThat(reply.status()).isEqualTo(200);
    assertThat(neo4j.count("MATCH (e:MemgateEntity) RETURN count(e)", Map.of())).isZero();
    assertThat(neo4j.count("MATCH ()-[r:MEMGATE_RELATION]->() RETURN count(r)", Map.of())).isZero();
    assertThat(neo4j.count("MATCH (o:MemgateOp) RETURN count(o)", Map.of())).isZero();
  }

  private String memoryIdContaining(String user, String word) {
    return api.get("/memories?user_id=" + Api.q(user)).json().getJsonArray("results").stream()
      .map(m -> (JsonObject) m).filter(m -> m.getString("memory").contains(word)).findFirst().orElseThrow()
      .getString("id");
  }

  private long outboxFiles() throws java.io.IOException {
    try (var files = java.nio.file.Files.list(service.dataDir().resolve("graph-outbox"))) {
      return files.filter(f -> f.toString().endsWith(".json")).count();
    }
  }

  /** The writer retries with back-off; /health also nudges it. Waits for the replay, however long it takes. */
  private void awaitOutboxEmpty() {
    Eventually.await(Duration.ofMinutes(2), () -> {
      JsonObject graph = api.get("/health").json().getJsonObject("components").getJsonObject("graph");
      return graph.getJsonObject("outbox").getInteger("pending") == 0 && "UP".equals(graph.getString("status"));
    }, () -> "the outbox was not replayed: " + api.get("/health").json());
  }
}
