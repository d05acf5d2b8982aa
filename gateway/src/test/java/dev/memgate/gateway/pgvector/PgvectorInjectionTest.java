package dev.memgate.gateway.pgvector;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.MemoryBus;
import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.PgvectorStore;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Strings that would break or rewrite SQL built by concatenation, sent through every field a user controls: ids,
 * speaker name, memory text, metadata keys and values, filter field names and values, search queries. They must
 * be stored and returned exactly, find exactly their own memories, and leave every table in place.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgvectorInjectionTest {
  private PgvectorStore store;
  private RunningService service;
  private Api api;

  @BeforeAll
  void start() {
    store = new PgvectorStore();
    service = RunningService.start(store);
    api = service.api();
  }

  @AfterAll
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    if (store != null) {
      store.close();
    }
  }

  /**
   * The memory service over the real event bus, as the HTTP edge calls it. Needed because the HTTP edge (Vert.x's
   * OpenAPI query decoding) answers 400 for query values holding a double quote or a backslash, and 500 for values
   * holding {@code %}, before the request reaches the store.
   */
  private JsonObject byBus(String address, JsonObject request) {
    return new BusClient(service.vertx()).request(address, request, MemoryBus.TIMEOUT_MS).await();
  }

  @ParameterizedTest
  @ValueSource(strings = {"'; DROP TABLE memgate_memories; --", "\"; DROP TABLE memgate_history; --", "$1", "$2::text",
    "\\", "\\'", "'", "''", "\"", "' OR '1'='1", "%", "_%", "-- comment", "/* x */", ");TRUNCATE memgate_schema;(",
    "E'\\x00'", "{\"a\":1}", "[1,2]", "?", "@>", "😀 İstanbul straße 中文 עברית", "\u202Ereversed", "a\tb"})
  void anEvilStringInEveryFieldIsStoredAsItIsAndMatchesOnlyItself(String evil) {
    String scope = evil.replace("\t", " ");
    String user = "user " + scope;
    JsonObject metadata = new JsonObject().put(scope, evil).put("k", evil);
    Reply added = api.post("/memories", new JsonObject()
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "memory " + evil)
        .put("name", "actor " + scope)))
      .put("user_id", user).put("agent_id", "agent " + scope).put("run_id", "run " + scope)
      .put("metadata", metadata).put("infer", false));
    assertThat(added.status()).as(added.toString()).isEqualTo(200);
    String id = added.json().getJsonArray("results").getJsonObject(0).getString("id");
    // A bystander whose memory must never be returned, changed or erased by the evil requests.
    Reply bystander = api.post("/memories", new JsonObject().put("messages", "bystander memory " + evil)
      .put("user_id", "bystander " + scope).put("metadata", new JsonObject().put("k", "other")).put("infer", false));
    assertThat(bystander.status()).as(bystander.toString()).isEqualTo(200);

    JsonObject stored = api.get("/memories/" + id).json();
    assertThat(stored.getString("memory")).isEqualTo("memory " + evil);
    assertThat(stored.getString("user_id")).isEqualTo(user);
    assertThat(stored.getString("agent_id")).isEqualTo("agent " + scope);
    assertThat(stored.getString("run_id")).isEqualTo("run " + scope);
    assertThat(stored.getString("actor_id")).isEqualTo("actor " + scope);
    assertThat(stored.getJsonObject("metadata")).isEqualTo(metadata);

    JsonObject filters = new JsonObject()
      .put(scope, evil)
      .put("k", new JsonObject().put("in", new JsonArray().add(evil)).put("contains", evil).put("icontains", evil)
        .put("gte", evil).put("lte", evil).put("ne", evil + "x"))
      .put("OR", new JsonArray().add(new JsonObject().put("actor_id", "actor " + scope))
        .add(new JsonObject().put(evil, new JsonObject().put("exists", true))));
    for (String mode : List.of("vector", "keyword")) {
      Reply found = api.post("/search", new JsonObject().put("query", "memory " + evil).put("user_id", user)
        .put("filters", filters).put("mode", mode));
      assertThat(found.status()).as(found.toString()).isEqualTo(200);
      assertThat(found.json().getJsonArray("results")).as(mode).hasSizeLessThanOrEqualTo(1);
      if (mode.equals("vector")) {
        assertThat(found.json().getJsonArray("results").getJsonObject(0).getString("id")).isEqualTo(id);
      }
    }
    // Listing and erasing take the ids from the query string, where the HTTP edge refuses some of these strings
    // before any store sees them (see the note on byBus); the memory service behind it gets them over the bus.
    JsonObject listed = byBus(MemoryBus.LIST, new JsonObject().put("user_id", user).put("agent_id", "agent " + scope)
      .put("run_id", "run " + scope));
    assertThat(listed.getJsonArray("results")).hasSize(1);
    assertThat(byBus(MemoryBus.LIST, new JsonObject().put("user_id", user).put("filters", filters))
      .getJsonArray("results")).hasSize(1);

    Reply updated = api.put("/memories/" + id, new JsonObject().put("text", "updated " + evil)
      .put("metadata", new JsonObject().put(scope, "new " + evil)));
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    JsonArray history = api.get("/memories/" + id + "/history").jsonArray();
    assertThat(history).hasSize(2);
    assertThat(history.getJsonObject(1).getString("old_memory")).isEqualTo("memory " + evil);
    assertThat(history.getJsonObject(1).getString("new_memory")).isEqualTo("updated " + evil);
    assertThat(api.get("/memories/" + id).json().getJsonObject("metadata").getString(scope)).isEqualTo("new " + evil);

    assertThat(byBus(MemoryBus.DELETE_ALL, new JsonObject().put("user_id", user)).getInteger("deleted"))
      .isEqualTo(1);
    assertThat(api.get("/memories/" + id).status()).isEqualTo(404);

    assertThat(store.sql("SELECT tablename FROM pg_tables WHERE tablename LIKE 'memgate%' ORDER BY 1"))
      .extracting(row -> row.getString("tablename"))
      .containsExactly("memgate_access_keys", "memgate_apps", "memgate_audit", "memgate_history", "memgate_memories",
        "memgate_schema");
    assertThat(store.sql("SELECT text, metadata::text AS metadata FROM memgate_memories WHERE user_id = $1",
      "bystander " + scope)).singleElement().satisfies(row -> {
        assertThat(row.getString("text")).isEqualTo("bystander memory " + evil);
        assertThat(new JsonObject(row.getString("metadata"))).isEqualTo(new JsonObject().put("k", "other"));
      });
    assertThat(store.sql("SELECT version FROM memgate_schema")).hasSize(1);
  }
}
