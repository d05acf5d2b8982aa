package dev.memgate.gateway.mcp;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.SseReader;
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
 * Which user a call acts for, and that two users never see each other's memories, whichever way each was named:
 * OpenMemory's URL path, the X-Memgate-User header, or initialize. This service has no default user, so a session
 * that names nobody is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpUserIsolationTest {
  private RunningService service;
  private McpHttp mcp;

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore(), Map.of("MEMGATE_DEFAULT_USER", ""));
    mcp = new McpHttp(service.mcpBase());
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  /** A session on {@code path} with {@code headers}, with its path and headers for later calls. */
  private record Caller(String path, Map<String, String> headers, String session) {
  }

  private Caller connect(String path, Map<String, String> headers) {
    return new Caller(path, headers, mcp.open(path, headers));
  }

  private JsonObject tool(Caller caller, String name, JsonObject args) {
    return mcp.tool(caller.path(), caller.session(), caller.headers(), name, args);
  }

  private String remember(Caller caller, String text) {
    JsonObject result = tool(caller, "add_memories", new JsonObject().put("text", text));
    return result.getJsonObject("structuredContent").getJsonArray("results").getJsonObject(0).getString("id");
  }

  private List<String> searchIds(Caller caller, String query) {
    return tool(caller, "search_memory", new JsonObject().put("query", query)).getJsonObject("structuredContent")
      .getJsonArray("results").stream().map(r -> ((JsonObject) r).getString("id")).toList();
  }

  private List<String> listIds(Caller caller) {
    return tool(caller, "list_memories", new JsonObject()).getJsonObject("structuredContent")
      .getJsonArray("results").stream().map(r -> ((JsonObject) r).getString("id")).toList();
  }

  private void assertNeitherSeesTheOther(Caller one, Caller other) {
    String mine = remember(one, "My secret hobby is competitive origami");
    String theirs = remember(other, "My secret hobby is competitive origami");
    assertThat(searchIds(one, "what is my hobby?")).contains(mine).doesNotContain(theirs);
    assertThat(searchIds(other, "what is my hobby?")).contains(theirs).doesNotContain(mine);
    assertThat(listIds(one)).contains(mine).doesNotContain(theirs);

    for (String name : List.of("get_memory", "memory_history")) {
      JsonObject result = tool(other, name, new JsonObject().put("memory_id", mine));
      assertThat(result.getBoolean("isError")).as(name).isTrue();
      assertThat(McpHttp.text(result)).isEqualTo("no memory with id " + mine);
    }
    JsonObject update = tool(other, "update_memory", new JsonObject().put("memory_id", mine).put("text", "hacked"));
    assertThat(update.getBoolean("isError")).isTrue();
    JsonObject delete = tool(other, "delete_memories", new JsonObject().put("memory_ids", new JsonArray().add(mine)));
    assertThat(delete.getBoolean("isError")).isTrue();
    JsonObject wipe = tool(other, "delete_all_memories", new JsonObject());
    assertThat(wipe.getJsonObject("structuredContent").getInteger("deleted")).isEqualTo(1);

    JsonObject survivor = tool(one, "get_memory", new JsonObject().put("memory_id", mine));
    assertThat(survivor.getJsonObject("structuredContent").getString("memory"))
      .isEqualTo("My secret hobby is competitive origami");
    assertThat(listIds(other)).isEmpty();
  }

  @Test
  void usersNamedByOpenMemoryPathsAreKeptApart() {
    assertNeitherSeesTheOther(connect("/mcp/claude/http/path-alice", Map.of()),
      connect("/mcp/cursor/http/path-bob", Map.of()));
  }

  @Test
  void usersNamedByTheHeaderAreKeptApart() {
    assertNeitherSeesTheOther(connect("/mcp", Map.of("X-Memgate-User", "header-carol")),
      connect("/mcp", Map.of("X-Memgate-User", "header-dave")));
  }

  @Test
  void usersNamedInInitializeAreKeptApart() {
    Caller erin = initializedAs("init-erin");
    Caller frank = initializedAs("init-frank");
    assertNeitherSeesTheOther(erin, frank);
  }

  private Caller initializedAs(String user) {
    JsonObject params = McpHttp.initializeParams("2025-11-25").put("capabilities", new JsonObject()
      .put("experimental", new JsonObject().put("memgate", new JsonObject().put("user_id", user))));
    Reply reply = mcp.initialize("/mcp", Map.of(), params);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.json().containsKey("result")).as(reply.toString()).isTrue();
    return new Caller("/mcp", Map.of(), reply.header(McpHttp.SESSION));
  }

  @Test
  void aSessionIdIsUselessToAnotherUser() {
    Caller grace = connect("/mcp", Map.of("X-Memgate-User", "grace"));
    remember(grace, "My bank is in Zurich");
    String search = McpHttp.request(1, "tools/call", new JsonObject().put("name", "search_memory")
      .put("arguments", new JsonObject().put("query", "bank"))).encode();
    Reply asHeinz = mcp.post("/mcp", search, Map.of(McpHttp.SESSION, grace.session(), "X-Memgate-User", "heinz"));
    assertThat(asHeinz.status()).isEqualTo(404);
    Reply viaPath = mcp.post("/mcp/x/http/heinz", search, Map.of(McpHttp.SESSION, grace.session()));
    assertThat(viaPath.status()).isEqualTo(404);
    Reply asGrace = mcp.post("/mcp", search, Map.of(McpHttp.SESSION, grace.session(), "X-Memgate-User", "grace"));
    assertThat(asGrace.status()).isEqualTo(200);
  }

  @Test
  void sourcesThatNameDifferentUsersAreRefused() {
    Reply pathAndHeader = mcp.initialize("/mcp/claude/http/ivy", Map.of("X-Memgate-User", "jack"),
      McpHttp.initializeParams("2025-11-25"));
    assertThat(pathAndHeader.status()).isEqualTo(400);

    JsonObject otherUser = McpHttp.initializeParams("2025-11-25").put("_meta", new JsonObject()
      .put("dev.memgate/user_id", "jack"));
    Reply pathAndInitialize = mcp.initialize("/mcp/claude/http/ivy", Map.of(), otherUser);
    assertThat(pathAndInitialize.status()).isEqualTo(200);
    assertThat(pathAndInitialize.json().getJsonObject("error").getInteger("code")).isEqualTo(-32602);
    assertThat(pathAndInitialize.json().getJsonObject("error").getString("message")).contains("ivy").contains("jack");
    assertThat(pathAndInitialize.header(McpHttp.SESSION)).isNull();
  }

  @Test
  void withoutADefaultUserASessionThatNamesNobodyIsRefused() {
    Reply reply = mcp.initialize("/mcp", Map.of(), McpHttp.initializeParams("2025-11-25"));
    assertThat(reply.json().getJsonObject("error").getString("message")).contains("MEMGATE_DEFAULT_USER");
    assertThat(reply.header(McpHttp.SESSION)).isNull();
    Reply blank = mcp.initialize("/mcp", Map.of("X-Memgate-User", "  "), McpHttp.initializeParams("2025-11-25"));
    assertThat(blank.status()).isEqualTo(400);
  }

  @Test
  void openMemorySseStreamsActForTheUserInTheirPath() {
    try (SseReader kim = SseReader.open(mcp.base() + "/mcp/claude/sse/sse-kim", Map.of());
         SseReader leo = SseReader.open(mcp.base() + "/mcp/cursor/sse/sse-leo", Map.of())) {
      String kimEndpoint = kim.next().data();
      String leoEndpoint = leo.next().data();
      assertThat(kimEndpoint).startsWith("/mcp/claude/sse/sse-kim/messages/?session_id=");
      String kimSession = kimEndpoint.substring(kimEndpoint.indexOf('=') + 1);

      assertThat(ssePost(kimEndpoint, McpHttp.request(1, "initialize", McpHttp.initializeParams("2024-11-05"))))
        .isEqualTo(202);
      assertThat(kim.next().data()).contains("\"protocolVersion\":\"2024-11-05\"");
      assertThat(ssePost(leoEndpoint, McpHttp.request(1, "initialize", McpHttp.initializeParams("2024-11-05"))))
        .isEqualTo(202);
      leo.next();

      ssePost(kimEndpoint, McpHttp.request(2, "tools/call", new JsonObject().put("name", "add_memories")
        .put("arguments", new JsonObject().put("text", "I speak Icelandic"))));
      JsonObject added = new JsonObject(kim.next().data());
      assertThat(added.getJsonObject("result").getBoolean("isError", false)).isFalse();

      JsonObject search = McpHttp.request(2, "tools/call", new JsonObject().put("name", "search_memory")
        .put("arguments", new JsonObject().put("query", "which languages do I speak?")));
      ssePost(leoEndpoint, search);
      JsonObject leoFound = new JsonObject(leo.next().data());
      assertThat(leoFound.getJsonObject("result").getJsonObject("structuredContent").getJsonArray("results"))
        .isEmpty();
      // OpenMemory also accepted messages on /mcp/messages/; the session still belongs to kim.
      assertThat(ssePost("/mcp/messages/?session_id=" + kimSession, search.put("id", 3))).isEqualTo(202);
      JsonObject kimFound = new JsonObject(kim.next().data());
      assertThat(kimFound.getValue("id")).isEqualTo(3);
      assertThat(kimFound.getJsonObject("result").getJsonObject("structuredContent").getJsonArray("results")
        .getJsonObject(0).getString("user_id")).isEqualTo("sse-kim");

      // Leo cannot post into Kim's stream by rewriting the path.
      assertThat(ssePost("/mcp/cursor/sse/sse-leo/messages/?session_id=" + kimSession, search)).isEqualTo(404);
    }
  }

  private int ssePost(String endpoint, JsonObject message) {
    return mcp.post(endpoint, message.encode(), Map.of()).status();
  }
}
