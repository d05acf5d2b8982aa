package dev.memgate.gateway.behaviour;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.StoreFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.memgate.gateway.testing.Api.q;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every behaviour suite stands on: one real service per suite class over the store a subclass picks, and the
 * few calls and checks the suites are written in. The suites ({@link MemoryApiBehaviour}, {@link SearchBehaviour},
 * {@link FilterBehaviour}, {@link BadInputBehaviour}, {@link ServiceBehaviour}) say only what a user of the REST
 * API can observe, so they run unchanged on every vector store: a store adds one subclass per suite that returns
 * its {@link StoreFixture} (see the {@code Lucene*Test} classes).
 *
 * <p>Every test makes its own users (random ids), so tests never see each other's memories and may run in any
 * order against the one service of their class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BehaviourSuite {
  protected StoreFixture store;
  protected RunningService service;
  protected Api api;

  protected abstract StoreFixture createStore() throws Exception;

  /** Extra environment for this suite's service, on top of the store's (limits, secrets, ...). */
  protected Map<String, String> environment() {
    return Map.of();
  }

  @BeforeAll
  void startService() throws Exception {
    store = createStore();
    service = RunningService.start(store, environment());
    api = service.api();
  }

  @AfterAll
  void stopService() throws Exception {
    if (service != null) {
      service.close();
    }
    if (store != null) {
      store.close();
    }
  }

  // ---- ids and JSON ---------------------------------------------------------------------------------------------

  protected static String newUser() {
    return "user-" + UUID.randomUUID();
  }

  protected static String newId(String kind) {
    return kind + "-" + UUID.randomUUID();
  }

  /** JSON written with single quotes, so that tables of requests stay readable. */
  protected static JsonObject json(String singleQuoted) {
    return new JsonObject(singleQuoted.replace('\'', '"'));
  }

  protected static JsonObject user(String userId) {
    return new JsonObject().put("user_id", userId);
  }

  protected static JsonObject message(String role, String content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  /** User messages, one per text. */
  protected static JsonArray conversation(String... texts) {
    JsonArray messages = new JsonArray();
    for (String text : texts) {
      messages.add(message("user", text));
    }
    return messages;
  }

  /** An add of these messages in this scope, stored verbatim. */
  protected static JsonObject verbatim(JsonObject scope, Object messages) {
    return scope.copy().put("messages", messages).put("infer", false);
  }

  protected static String md5(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  // ---- calls ----------------------------------------------------------------------------------------------------

  protected Reply add(JsonObject body) {
    return api.post("/memories", body);
  }

  /** The results of an add that must succeed. */
  protected JsonArray added(JsonObject body) {
    Reply reply = add(body);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.json().getJsonArray("results");
  }

  /** Stores one text in the scope as a new memory and returns its id. */
  protected String remember(JsonObject scope, String text, JsonObject metadata) {
    JsonObject body = verbatim(scope, conversation(text));
    if (metadata != null) {
      body.put("metadata", metadata);
    }
    JsonArray results = added(body);
    assertThat(results).hasSize(1);
    assertThat(results.getJsonObject(0).getString("event")).isEqualTo("ADD");
    return results.getJsonObject(0).getString("id");
  }

  protected String remember(String userId, String text) {
    return remember(user(userId), text, null);
  }

  /** GET /memories with this query string; must succeed. */
  protected JsonArray list(String query) {
    Reply reply = api.get("/memories?" + query);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.json().getJsonArray("results");
  }

  /** Every memory of the user (up to the largest limit). */
  protected JsonArray listUser(String userId) {
    return list("user_id=" + q(userId) + "&limit=1000");
  }

  protected Reply search(JsonObject body) {
    return api.post("/search", body);
  }

  /** The results of a search that must succeed. */
  protected JsonArray found(JsonObject body) {
    Reply reply = search(body);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.json().getJsonArray("results");
  }

  protected JsonArray found(String userId, String query) {
    return found(user(userId).put("query", query).put("limit", 100));
  }

  protected JsonObject get(String id) {
    Reply reply = api.get("/memories/" + q(id));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.json();
  }

  protected JsonArray history(String id) {
    Reply reply = api.get("/memories/" + q(id) + "/history");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.jsonArray();
  }

  /**
   * Everything a user could read about a user's memories: each item and its history. Two equal snapshots mean that
   * nothing of the user's changed in between.
   */
  protected String snapshot(String userId) {
    JsonArray state = new JsonArray();
    for (Object item : listUser(userId)) {
      String id = ((JsonObject) item).getString("id");
      state.add(new JsonObject().put("item", item).put("history", history(id)));
    }
    return state.encodePrettily();
  }

  // ---- checks ---------------------------------------------------------------------------------------------------

  protected static List<String> texts(JsonArray items) {
    List<String> texts = new ArrayList<>();
    items.forEach(item -> texts.add(((JsonObject) item).getString("memory")));
    return texts;
  }

  protected static List<String> ids(JsonArray items) {
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(((JsonObject) item).getString("id")));
    return ids;
  }

  protected static List<Double> scores(JsonArray items) {
    List<Double> scores = new ArrayList<>();
    items.forEach(item -> scores.add(((JsonObject) item).getDouble("score")));
    return scores;
  }

  /** An RFC 9457 problem with this status, a stable code, and nothing of the server's insides. */
  protected static JsonObject assertProblem(Reply reply, int status) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    assertThat(reply.header("Content-Type")).as(reply.toString()).startsWith("application/problem+json");
    assertThat(reply.text()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(".java:");
    JsonObject problem = reply.json();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("detail")).isNotBlank();
    assertThat(problem.getInteger("code")).isNotNull();
    return problem;
  }

  /** {@link #assertProblem(Reply, int)} naming exactly this field. */
  protected static JsonObject assertProblem(Reply reply, int status, String field) {
    JsonObject problem = assertProblem(reply, status);
    assertThat(problem.getString("field")).as(reply.toString()).isEqualTo(field);
    return problem;
  }
}
