package dev.memgate.gateway.graph;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.FakeLlmServer;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static dev.memgate.gateway.graph.GraphScript.addOk;
import static dev.memgate.gateway.graph.GraphScript.facts;
import static dev.memgate.gateway.graph.GraphScript.newUser;
import static dev.memgate.gateway.graph.GraphScript.search;
import static org.assertj.core.api.Assertions.assertThat;

/** GRAPH_STORE=none with an LLM: no Neo4j, no graph LLM call, and replies that say the graph is off. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphOffTest {
  private FakeLlmServer fake;
  private RunningService service;
  private Api api;

  @BeforeAll
  void start() {
    fake = new FakeLlmServer();
    service = RunningService.start(new LuceneStore(), Map.of("GRAPH_STORE", "none", "LLM_PROVIDER", "openai",
      "OPENAI_BASE_URL", fake.baseUrl("openai"), "OPENAI_API_KEY", "sk-test"));
    api = service.api();
  }

  @AfterAll
  void stop() {
    service.close();
    fake.close();
  }

  @Test
  void addsSearchesAndHealthSayTheGraphIsOff() {
    String user = newUser();
    fake.script(call -> facts("Likes sailing"));

    JsonObject added = addOk(api, user, "I like sailing");

    assertThat(added.getString("graph")).isEqualTo("off");
    assertThat(added.getJsonObject("usage").getInteger("llm_calls")).isEqualTo(1);
    assertThat(fake.calls()).noneMatch(c -> c.outputName().startsWith("graph"));
    JsonObject found = search(api, new JsonObject().put("query", "sailing").put("user_id", user));
    assertThat(found.getJsonArray("results")).isNotEmpty();
    assertThat(found.getJsonArray("relations")).isEmpty();
    JsonObject graph = api.get("/health").json().getJsonObject("components").getJsonObject("graph");
    assertThat(graph.getString("status")).isEqualTo("DISABLED");
    assertThat(graph.getString("store")).isEqualTo("none");
    assertThat(api.get("/graph?user_id=" + Api.q(user)).json().getString("graph")).isEqualTo("off");
    assertThat(service.dataDir().resolve("neo4j")).doesNotExist();
  }

  @Test
  void asOfMustBeADate() {
    var reply = api.post("/search", new JsonObject().put("query", "x").put("user_id", "u").put("as_of", "soon"));
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().getString("field")).isEqualTo("as_of");
  }
}
