package dev.memgate.gateway.access;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.McpWebSocket;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over MCP a key obeys the same rules as over REST: its users, its permissions, and its revocation. The MCP tools
 * go to the same memory service, which keeps every caller to its key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpKeysTest {
  private RunningService service;
  private Api operator;
  private McpHttp mcp;

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore(), Map.of("MEMGATE_API_KEY", Keys.OPERATOR_KEY));
    operator = service.api().withKey(Keys.OPERATOR_KEY);
    mcp = new McpHttp(service.mcpBase());
    operator.post("/memories", new JsonObject().put("messages", "Bob's locker code is 4417").put("user_id", "bob")
      .put("infer", false));
  }

  @AfterAll
  void stop() {
    service.close();
  }

  private static Map<String, String> as(String secret, String user) {
    return Map.of("Authorization", "Bearer " + secret, "X-Memgate-User", user);
  }

  private JsonObject tool(String session, Map<String, String> headers, String name, JsonObject args) {
    return mcp.tool("/mcp", session, headers, name, args);
  }

  @Test
  void aUsersKeyWorksForItsUserAndNeverReachesAnotherOnes() {
    String alice = Keys.forUser(operator, "alice", "read", "write", "delete");
    Map<String, String> asAlice = as(alice, "alice");
    String session = mcp.open("/mcp", asAlice);
    assertThat(tool(session, asAlice, "add_memories", new JsonObject().put("text", "Alice plays the cello")
      .put("infer", false)).getBoolean("isError", false)).isFalse();
    JsonObject found = tool(session, asAlice, "search_memory", new JsonObject().put("query", "instrument"));
    assertThat(McpHttp.text(found)).contains("cello").doesNotContain("locker");

    // The key acts for alice: a session that claims bob is refused before it exists, naming both.
    Reply claimed = mcp.initialize("/mcp", as(alice, "bob"), McpHttp.initializeParams("2025-11-25"));
    assertThat(claimed.status()).isEqualTo(403);
    assertThat(claimed.text()).contains("user alice").contains("names user bob").doesNotContain("4417");
    // And nothing alice's own session can call reaches bob's memories.
    for (String name : new String[] {"search_memory", "list_memories"}) {
      JsonObject args = name.equals("search_memory") ? new JsonObject().put("query", "locker code")
        : new JsonObject();
      assertThat(McpHttp.text(tool(session, asAlice, name, args))).as(name).doesNotContain("4417");
    }
    assertThat(operator.get("/memories?user_id=bob").json().getJsonArray("results")).hasSize(1);
  }

  @Test
  void aReadOnlyKeyCannotWriteOrDeleteOverMcp() {
    String reader = Keys.forUser(operator, "carol", "read");
    Map<String, String> asCarol = as(reader, "carol");
    String session = mcp.open("/mcp", asCarol);
    JsonObject added = tool(session, asCarol, "add_memories", new JsonObject().put("text", "Carol likes jazz")
      .put("infer", false));
    assertThat(added.getBoolean("isError")).isTrue();
    assertThat(McpHttp.text(added)).contains("write permission");
    assertThat(tool(session, asCarol, "delete_all_memories", new JsonObject()).getBoolean("isError")).isTrue();
    assertThat(tool(session, asCarol, "list_memories", new JsonObject()).getBoolean("isError", false)).isFalse();
  }

  @Test
  void revokingAKeyEndsTheWebSocketSessionsItOpened() {
    JsonObject created = Keys.create(operator, new JsonObject().put("name", "erin's socket").put("users",
      new JsonArray().add("erin")).put("permissions", new JsonArray().add("read")));
    Map<String, String> asErin = as(created.getString("secret"), "erin");
    try (McpWebSocket socket = McpWebSocket.connect(service.mcpBase().replace("http://", "ws://") + "/mcp/ws",
      asErin)) {
      JsonObject init = socket.call(McpHttp.request(1, "initialize", McpHttp.initializeParams("2025-11-25")));
      assertThat(init.getJsonObject("result")).isNotNull();
      assertThat(operator.delete("/keys/" + created.getJsonObject("key").getString("id")).status()).isEqualTo(200);
      // The socket carries no credential per message: the server ends it rather than let it go on.
      assertThat(socket.awaitClose()).isEqualTo(1000);
    }
  }

  @Test
  void aRevokedKeyIsRefusedOnMcpWithinASecond() {
    JsonObject created = Keys.create(operator, new JsonObject().put("name", "dave").put("users",
      new JsonArray().add("dave")).put("permissions", new JsonArray().add("read")));
    Map<String, String> asDave = as(created.getString("secret"), "dave");
    String session = mcp.open("/mcp", asDave);
    operator.delete("/keys/" + created.getJsonObject("key").getString("id"));
    dev.memgate.gateway.testing.Eventually.await(Duration.ofSeconds(1), () -> mcp.post("/mcp",
      McpHttp.request(9, "ping", null).encode(), Map.of("Authorization", asDave.get("Authorization"),
        McpHttp.SESSION, session, McpHttp.VERSION, "2025-11-25")).status() == 401, () -> "still accepted");
  }
}
