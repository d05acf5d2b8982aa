package dev.memgate.gateway.access;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.StoreFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key bound to alice can never read, list, search, update, delete or see the history of bob's memories, nor reach
 * them through filters, ids or the scope fields, on every REST route; and each permission is needed for what it
 * allows. Written once, run against each store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class IsolationBehaviour {
  private StoreFixture store;
  private RunningService service;
  private Api operator;
  private Api alice;
  private String bobMemory;

  protected abstract StoreFixture store();

  @BeforeAll
  void start() {
    store = store();
    service = RunningService.start(store, Map.of("MEMGATE_API_KEY", Keys.OPERATOR_KEY));
    operator = service.api().withKey(Keys.OPERATOR_KEY);
    alice = service.api().withKey(Keys.forUser(operator, "alice", "read", "write", "delete"));
    Api bob = service.api().withKey(Keys.forUser(operator, "bob", "read", "write", "delete"));
    Reply first = alice.post("/memories", add("alice", "Alice drinks green tea every morning"));
    assertThat(first.status()).as(first.text()).isEqualTo(200);
    Reply added = bob.post("/memories", add("bob", "Bob's bank PIN hint is his first dog's name"));
    assertThat(added.status()).as(added.text()).isEqualTo(200);
    bobMemory = added.json().getJsonArray("results").getJsonObject(0).getString("id");
  }

  @AfterAll
  void stop() throws Exception {
    service.close();
    store.close();
  }

  private static JsonObject add(String user, String text) {
    return new JsonObject().put("messages", text).put("user_id", user).put("infer", false);
  }

  private List<String> bobsTexts() {
    return operator.get("/memories?user_id=bob").json().getJsonArray("results").stream()
      .map(item -> ((JsonObject) item).getString("memory")).toList();
  }

  private static void forbidden(Reply reply, String field) {
    assertThat(reply.status()).as(reply.text()).isEqualTo(403);
    assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
    assertThat(reply.json().getInteger("code")).isEqualTo(4030);
    assertThat(reply.json().getString("field")).isEqualTo(field);
  }

  @Test
  void aUsersKeyActsForItsUserWhenTheRequestNamesNone() {
    JsonArray listed = alice.get("/memories").json().getJsonArray("results");
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).getString("user_id")).isEqualTo("alice");
    JsonArray found = alice.post("/search", new JsonObject().put("query", "what does the user drink"))
      .json().getJsonArray("results");
    assertThat(found).extracting(item -> ((JsonObject) item).getString("user_id")).containsOnly("alice");
  }

  @Test
  void namingAnotherUserIsRefusedWith403OnEveryScopedRoute() {
    forbidden(alice.get("/memories?user_id=bob"), "user_id");
    forbidden(alice.post("/search", new JsonObject().put("query", "PIN").put("user_id", "bob")), "user_id");
    forbidden(alice.post("/memories", add("bob", "Bob owes Alice 100 dollars")), "user_id");
    forbidden(alice.delete("/memories?user_id=bob"), "user_id");
    forbidden(alice.get("/graph?user_id=bob"), "user_id");
    assertThat(bobsTexts()).containsExactly("Bob's bank PIN hint is his first dog's name");
  }

  @Test
  void filtersCannotReachAnotherUsersMemories() {
    for (JsonObject filters : List.of(
      new JsonObject().put("user_id", "bob"),
      new JsonObject().put("OR", new JsonArray().add(new JsonObject().put("user_id", "bob"))
        .add(new JsonObject().put("user_id", "alice"))),
      new JsonObject().put("user_id", new JsonObject().put("in", new JsonArray().add("bob").add("alice"))),
      new JsonObject().put("NOT", new JsonArray().add(new JsonObject().put("user_id", "alice"))))) {
      Reply searched = alice.post("/search", new JsonObject().put("query", "bank PIN dog").put("filters", filters));
      if (searched.status() == 200) {
        assertThat(searched.json().getJsonArray("results"))
          .as("search with filters %s", filters)
          .extracting(item -> ((JsonObject) item).getString("user_id")).doesNotContain("bob");
      } else {
        assertThat(searched.status()).as(searched.text()).isIn(400, 403);
      }
    }
  }

  @Test
  void anotherUsersMemoryByIdIsAnsweredLikeAMissingOne() {
    Reply missing = alice.get("/memories/" + java.util.UUID.randomUUID());
    Reply bobs = alice.get("/memories/" + bobMemory);
    assertThat(bobs.status()).isEqualTo(404);
    assertThat(bobs.json().getString("detail").replace(bobMemory, "ID"))
      .isEqualTo(missing.json().getString("detail").replaceAll("[0-9a-f-]{36}", "ID"));
    assertThat(alice.get("/memories/" + bobMemory + "/history").status()).isEqualTo(404);
    assertThat(alice.put("/memories/" + bobMemory, new JsonObject().put("text", "Bob's PIN is 1234")).status())
      .isEqualTo(404);
    assertThat(alice.delete("/memories/" + bobMemory).status()).isEqualTo(404);
    assertThat(bobsTexts()).containsExactly("Bob's bank PIN hint is his first dog's name");
  }

  @Test
  void onlyAdminsResetAndUseTheAdminApi() {
    forbidden(alice.postRaw("/reset", new byte[0], "application/json"), null);
    assertThat(alice.get("/keys").status()).isEqualTo(403);
    assertThat(alice.post("/keys", new JsonObject().put("name", "mine").put("users", "*")
      .put("permissions", new JsonArray().add("admin"))).status()).isEqualTo(403);
    assertThat(alice.get("/audit").status()).isEqualTo(403);
    assertThat(bobsTexts()).hasSize(1);
  }

  @Test
  void aClientCannotPassItselfOffAsAnotherCallerThroughTheBody() {
    JsonObject forged = add("bob", "Bob agreed to give Alice his car")
      .put("_caller", new JsonObject().put("id", "bootstrap").put("kind", "BOOTSTRAP").put("name", "x")
        .put("permissions", new JsonArray().add("read").add("write").add("delete").add("admin")));
    Reply reply = alice.post("/memories", forged);
    assertThat(reply.status()).as(reply.text()).isIn(400, 403);
    assertThat(bobsTexts()).containsExactly("Bob's bank PIN hint is his first dog's name");
  }

  @Test
  void eachPermissionIsNeededForWhatItAllows() {
    Api reader = service.api().withKey(Keys.forUser(operator, "carol", "read"));
    Api writer = service.api().withKey(Keys.forUser(operator, "carol", "write"));
    assertThat(writer.post("/memories", add("carol", "Carol is allergic to peanuts")).status()).isEqualTo(200);
    forbidden(reader.post("/memories", add("carol", "Carol likes jazz")), null);
    forbidden(writer.get("/memories"), null);
    JsonArray carols = reader.get("/memories").json().getJsonArray("results");
    assertThat(carols).hasSize(1);
    String id = carols.getJsonObject(0).getString("id");
    forbidden(reader.delete("/memories/" + id), null);
    forbidden(writer.delete("/memories?user_id=carol"), null);
    assertThat(reader.get("/memories/" + id).status()).isEqualTo(200);
  }

  @Test
  void aKeyForSeveralUsersMustNameOneAndReachesOnlyThose() {
    Api team = service.api().withKey(Keys.forUsers(operator, "team", new JsonArray().add("alice").add("dave"),
      "read"));
    forbidden(team.get("/memories"), "user_id");
    assertThat(team.get("/memories?user_id=alice").json().getJsonArray("results")).hasSize(1);
    forbidden(team.get("/memories?user_id=bob"), "user_id");
    assertThat(team.get("/memories/" + bobMemory).status()).isEqualTo(404);
  }

  @Test
  void anAgentsKeyStaysWithItsAgent() {
    Api agentKey = service.api().withKey(Keys.create(operator, new JsonObject().put("name", "planner")
      .put("users", "*").put("agents", new JsonArray().add("planner"))
      .put("permissions", new JsonArray().add("read").add("write"))).getString("secret"));
    assertThat(agentKey.post("/memories", new JsonObject().put("messages", "Prefer morning meetings")
      .put("agent_id", "planner").put("infer", false)).status()).isEqualTo(200);
    forbidden(agentKey.post("/memories", new JsonObject().put("messages", "x").put("agent_id", "billing")
      .put("infer", false)), "agent_id");
    // bob's memory has no agent: an agent's key does not see it, even naming bob.
    assertThat(agentKey.get("/memories?user_id=bob").json().getJsonArray("results")).isEmpty();
    assertThat(agentKey.get("/memories/" + bobMemory).status()).isEqualTo(404);
  }
}
