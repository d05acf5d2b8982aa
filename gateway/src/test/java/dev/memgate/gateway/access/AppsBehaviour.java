package dev.memgate.gateway.access;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.Eventually;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.StoreFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apps as in OpenMemory: every memory records the app whose key added it; an operator lists the apps with their
 * memory counts and last use, pauses one (its keys are refused on REST and MCP within a second, until it is
 * resumed) and limits one to the memories it wrote. Written once, run against each store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AppsBehaviour {
  private StoreFixture store;
  private RunningService service;
  private Api operator;

  protected abstract StoreFixture store();

  @BeforeAll
  void start() {
    store = store();
    service = RunningService.start(store, Map.of("MEMGATE_API_KEY", Keys.OPERATOR_KEY));
    operator = service.api().withKey(Keys.OPERATOR_KEY);
  }

  @AfterAll
  void stop() throws Exception {
    service.close();
    store.close();
  }

  /** A key of this app for this user, with read, write and delete; returns its secret. */
  private String appKey(String app, String user) {
    return Keys.create(operator, new JsonObject().put("name", app + " for " + user).put("app", app)
      .put("users", new JsonArray().add(user)).put("permissions", new JsonArray().add("read").add("write")
        .add("delete"))).getString("secret");
  }

  private static JsonObject added(Api api, JsonObject request) {
    Reply reply = api.post("/memories", request.put("infer", request.getValue("infer", false)));
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    return reply.json().getJsonArray("results").getJsonObject(0);
  }

  private static JsonObject remember(String user, String text) {
    return new JsonObject().put("messages", text).put("user_id", user);
  }

  private static Reply patch(Api api, String path, JsonObject body) {
    return api.sendRaw("PATCH", path, body.encode().getBytes(StandardCharsets.UTF_8), "application/json");
  }

  private JsonObject app(String name) {
    Reply listed = operator.get("/apps");
    assertThat(listed.status()).as(listed.text()).isEqualTo(200);
    return listed.json().getJsonArray("results").stream().map(a -> (JsonObject) a)
      .filter(a -> name.equals(a.getString("name"))).findFirst().orElseThrow(() -> new AssertionError(
        "no app " + name + " in " + listed.text()));
  }

  private static List<String> texts(Reply reply) {
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    return reply.json().getJsonArray("results").stream().map(item -> ((JsonObject) item).getString("memory"))
      .toList();
  }

  @Test
  void everyAddRecordsTheAppOfItsKeyWhateverTheClientSends() {
    Api notes = service.api().withKey(appKey("notes-app", "erin"));
    JsonObject verbatim = added(notes, remember("erin", "Erin keeps bees on her roof")
      .put("metadata", new JsonObject().put("app_id", "forged-app").put("source", "chat")));
    // infer:true without an LLM takes the same path as an inferred add's request and is stored verbatim
    JsonObject inferred = added(notes, remember("erin", "Erin's hives are painted yellow").put("infer", true));
    for (JsonObject item : List.of(verbatim, inferred)) {
      JsonObject stored = operator.get("/memories/" + item.getString("id")).json();
      assertThat(stored.getJsonObject("metadata").getString("app_id")).isEqualTo("notes-app");
    }
    JsonObject stored = operator.get("/memories/" + verbatim.getString("id")).json();
    assertThat(stored.getJsonObject("metadata").getString("source")).isEqualTo("chat");
    assertThat(stored.fieldNames()).doesNotContain("app_id");

    JsonObject byOperator = added(operator, remember("erin", "Erin's first harvest was in August")
      .put("metadata", new JsonObject().put("app_id", "forged-app")));
    assertThat(operator.get("/memories/" + byOperator.getString("id")).json().getJsonObject("metadata")
      .containsKey("app_id")).isFalse();
    // and the filter language finds memories by app
    assertThat(texts(operator.get("/memories?user_id=erin&limit=10"))).hasSize(3);
    assertThat(texts(operator.post("/search", new JsonObject().put("query", "bees").put("user_id", "erin")
      .put("filters", new JsonObject().put("app_id", "notes-app"))))).hasSize(2);
  }

  @Test
  void anUpdateCannotChangeTheAppThatAddedAMemory() {
    Api notes = service.api().withKey(appKey("journal-app", "frank"));
    String id = added(notes, remember("frank", "Frank runs on Tuesdays")).getString("id");
    for (Api who : List.of(notes, operator)) {
      for (Object value : new Object[] {"other-app", null}) {
        Reply refused = who.put("/memories/" + id, new JsonObject().put("metadata",
          new JsonObject().put("app_id", value)));
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().getString("field")).isEqualTo("metadata.app_id");
      }
    }
    Reply updated = notes.put("/memories/" + id, new JsonObject().put("text", "Frank runs on Thursdays")
      .put("metadata", new JsonObject().put("mood", "good")));
    assertThat(updated.status()).as(updated.text()).isEqualTo(200);
    JsonObject metadata = operator.get("/memories/" + id).json().getJsonObject("metadata");
    assertThat(metadata.getString("app_id")).isEqualTo("journal-app");
    assertThat(metadata.getString("mood")).isEqualTo("good");
  }

  @Test
  void aPausedAppsKeysAreRefusedOnRestAndMcpWithinASecondUntilResumed() {
    String secret = appKey("pausable-app", "gina");
    Api gina = service.api().withKey(secret);
    McpHttp mcp = new McpHttp(service.mcpBase());
    Map<String, String> asGina = Map.of("Authorization", "Bearer " + secret, "X-Memgate-User", "gina");
    assertThat(gina.get("/memories").status()).isEqualTo(200);
    String session = mcp.open("/mcp", asGina);

    Reply paused = patch(operator, "/apps/pausable-app", new JsonObject().put("paused", true));
    assertThat(paused.status()).as(paused.text()).isEqualTo(200);
    assertThat(paused.json().getBoolean("paused")).isTrue();
    Instant pausing = Instant.now();
    Eventually.await(Duration.ofSeconds(1), () -> gina.get("/memories").status() == 403,
      () -> "the paused app's key still works on REST");
    Reply refused = gina.get("/memories");
    assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
    assertThat(refused.json().getString("detail")).contains("pausable-app").contains("paused");
    Eventually.await(Duration.ofSeconds(1), () -> mcpPing(mcp, asGina, session).status() == 403,
      () -> "the paused app's key still works on MCP");
    assertThat(Duration.between(pausing, Instant.now())).isLessThan(Duration.ofMillis(2_000));
    Reply mcpRefused = mcpPing(mcp, asGina, session);
    assertThat(mcpRefused.json().getJsonObject("error").getString("message")).contains("paused");

    assertThat(patch(operator, "/apps/pausable-app", new JsonObject().put("paused", false)).status())
      .isEqualTo(200);
    Eventually.await(Duration.ofSeconds(1), () -> gina.get("/memories").status() == 200,
      () -> "the resumed app's key is still refused");
    assertThat(mcpPing(mcp, asGina, mcp.open("/mcp", asGina)).status()).isEqualTo(200);

    JsonArray audit = operator.get("/audit?limit=100").json().getJsonArray("results");
    assertThat(audit.stream().map(e -> (JsonObject) e).filter(e -> "pausable-app".equals(e.getString("target")))
      .map(e -> e.getString("action")).toList()).contains("app.pause", "app.resume");
  }

  private static Reply mcpPing(McpHttp mcp, Map<String, String> headers, String session) {
    return mcp.post("/mcp", McpHttp.request(7, "ping", null).encode(), Map.of("Authorization",
      headers.get("Authorization"), McpHttp.SESSION, session, McpHttp.VERSION, "2025-11-25"));
  }

  @Test
  void anAppLimitedToItsOwnMemoriesNeverReadsAnotherAppsOfTheSameUser() {
    Api cursor = service.api().withKey(appKey("cursor-own", "hana"));
    Api claude = service.api().withKey(appKey("claude-all", "hana"));
    String mine = added(cursor, remember("hana", "Hana prefers tabs over spaces")).getString("id");
    String theirs = added(claude, remember("hana", "Hana's tabby cat is called Miso")).getString("id");
    Reply limited = patch(operator, "/apps/cursor-own", new JsonObject().put("memory_access", "own"));
    assertThat(limited.status()).as(limited.text()).isEqualTo(200);
    assertThat(limited.json().getString("memory_access")).isEqualTo("own");

    Eventually.await(Duration.ofSeconds(1), () -> texts(cursor.get("/memories")).size() == 1,
      () -> "the limited app still lists every app's memories");
    assertThat(texts(cursor.get("/memories"))).containsExactly("Hana prefers tabs over spaces");
    assertThat(texts(cursor.post("/search", new JsonObject().put("query", "tabby cat tabs")))).containsExactly(
      "Hana prefers tabs over spaces");
    // its own filters are ANDed with the limit, never replace it
    assertThat(texts(cursor.post("/search", new JsonObject().put("query", "cat").put("filters",
      new JsonObject().put("app_id", "claude-all"))))).isEmpty();
    assertThat(texts(cursor.post("/search", new JsonObject().put("query", "cat").put("filters", new JsonObject()
      .put("OR", new JsonArray().add(new JsonObject().put("app_id", "claude-all"))
        .add(new JsonObject().put("app_id", "cursor-own"))))))).containsExactly("Hana prefers tabs over spaces");
    assertThat(texts(cursor.post("/search", new JsonObject().put("query", "cat").put("filters",
      new JsonObject().put("user_id", "hana").put("AND", new JsonArray().add(new JsonObject()
        .put("app_id", new JsonObject().put("ne", "nobody")))))))).containsExactly("Hana prefers tabs over spaces");
    assertThat(cursor.get("/memories/" + mine).status()).isEqualTo(200);
    assertThat(cursor.get("/memories/" + theirs).status()).isEqualTo(404);
    assertThat(cursor.get("/memories/" + theirs + "/history").status()).isEqualTo(404);
    assertThat(cursor.put("/memories/" + theirs, new JsonObject().put("text", "Miso is a dog")).status())
      .isEqualTo(404);
    assertThat(cursor.delete("/memories/" + theirs).status()).isEqualTo(404);
    Reply wipe = cursor.delete("/memories?user_id=hana");
    assertThat(wipe.status()).as(wipe.text()).isEqualTo(403);

    assertThat(texts(claude.get("/memories"))).containsExactlyInAnyOrder("Hana prefers tabs over spaces",
      "Hana's tabby cat is called Miso");
    assertThat(claude.get("/memories/" + mine).status()).isEqualTo(200);
    assertThat(operator.get("/memories/" + theirs).json().getString("memory")).isEqualTo(
      "Hana's tabby cat is called Miso");

    assertThat(patch(operator, "/apps/cursor-own", new JsonObject().put("memory_access", "all")).status())
      .isEqualTo(200);
    Eventually.await(Duration.ofSeconds(1), () -> cursor.get("/memories/" + theirs).status() == 200,
      () -> "the app is still limited to its own memories");
  }

  @Test
  void appsAreListedWithTheirMemoryCountsAndLastUse() {
    Instant before = Instant.now().minusSeconds(1);
    Api counted = service.api().withKey(appKey("counted-app", "ivan"));
    Api other = service.api().withKey(appKey("counted-app", "jade"));
    for (int i = 0; i < 3; i++) {
      added(counted, remember("ivan", "Ivan's note number " + i));
    }
    added(other, remember("jade", "Jade collects stamps"));
    added(operator, remember("ivan", "Ivan's note from the operator"));

    JsonObject app = app("counted-app");
    assertThat(app.getLong("memory_count")).isEqualTo(4L);
    assertThat(app.getBoolean("paused")).isFalse();
    assertThat(app.getString("memory_access")).isEqualTo("all");
    assertThat(Instant.parse(app.getString("created_at"))).isAfter(before);
    Eventually.await(Duration.ofSeconds(2), () -> app("counted-app").getString("last_used_at") != null,
      () -> "last use not recorded");
    assertThat(Instant.parse(app("counted-app").getString("last_used_at"))).isAfter(before);

    String deleted = added(counted, remember("ivan", "Ivan's note to delete")).getString("id");
    assertThat(app("counted-app").getLong("memory_count")).isEqualTo(5L);
    assertThat(counted.delete("/memories/" + deleted).status()).isEqualTo(200);
    assertThat(app("counted-app").getLong("memory_count")).isEqualTo(4L);
  }

  @Test
  void onlyAdminsSeeOrChangeAppsAndChangesAreChecked() {
    Api plain = service.api().withKey(appKey("plain-app", "kim"));
    Reply listed = plain.get("/apps");
    assertThat(listed.status()).isEqualTo(403);
    assertThat(listed.header("Content-Type")).startsWith("application/problem+json");
    assertThat(patch(plain, "/apps/plain-app", new JsonObject().put("paused", true)).status()).isEqualTo(403);
    assertThat(service.api().get("/apps").status()).isEqualTo(401);

    assertThat(patch(operator, "/apps/no-such-app", new JsonObject().put("paused", true)).status()).isEqualTo(404);
    Reply bad = patch(operator, "/apps/plain-app", new JsonObject().put("memory_access", "some"));
    assertThat(bad.status()).as(bad.text()).isEqualTo(400);
    assertThat(bad.text()).contains("memory_access");
    assertThat(patch(operator, "/apps/plain-app", new JsonObject()).status()).isEqualTo(400);
    assertThat(app("plain-app").getBoolean("paused")).isFalse();
    assertThat(plain.get("/memories").status()).isEqualTo(200);
  }
}
