package dev.memgate.gateway.mcp;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.McpWebSocket;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MCP over WebSocket on {@code /mcp/ws}: subprotocol, one message per text frame, origin and size limits. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpWebSocketTest {
  private RunningService service;
  private String wsBase;

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore(), Map.of("MEMGATE_DEFAULT_USER", "ws-default"));
    wsBase = service.mcpBase().replace("http://", "ws://");
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void theMcpSubprotocolIsSelectedAndMessagesTravelAsTextFrames() {
    try (McpWebSocket socket = McpWebSocket.connect(wsBase + "/mcp/ws", Map.of())) {
      assertThat(socket.subprotocol()).isEqualTo("mcp");
      JsonObject init = socket.call(McpHttp.request(1, "initialize", McpHttp.initializeParams("2024-11-05")));
      assertThat(init.getJsonObject("result").getString("protocolVersion")).isEqualTo("2024-11-05");
      socket.sendText(new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized").encode());
      JsonObject tools = socket.call(McpHttp.request(2, "tools/list", null));
      assertThat(tools.getJsonObject("result").getJsonArray("tools")).hasSize(8);
      JsonObject added = socket.call(McpHttp.request(3, "tools/call", new JsonObject().put("name", "add_memories")
        .put("arguments", new JsonObject().put("text", "I run a marathon every spring"))));
      assertThat(added.getJsonObject("result").getBoolean("isError", false)).isFalse();
      JsonObject found = socket.call(McpHttp.request(4, "tools/call", new JsonObject().put("name", "search_memory")
        .put("arguments", new JsonObject().put("query", "what sport do I do?"))));
      JsonObject hit = found.getJsonObject("result").getJsonObject("structuredContent").getJsonArray("results")
        .getJsonObject(0);
      assertThat(hit.getString("memory")).isEqualTo("I run a marathon every spring");
      assertThat(hit.getString("user_id")).isEqualTo("ws-default");

      JsonObject batched = socket.call(McpHttp.request(5, "ping", null));
      assertThat(batched.getJsonObject("result")).isEqualTo(new JsonObject());
    }
  }

  @Test
  void requestsBeforeInitializeAreRefusedExceptPing() {
    try (McpWebSocket socket = McpWebSocket.connect(wsBase + "/mcp/ws", Map.of())) {
      assertThat(socket.call(McpHttp.request(1, "tools/list", null)).getJsonObject("error").getInteger("code"))
        .isEqualTo(-32600);
      assertThat(socket.call(McpHttp.request(2, "ping", null)).getJsonObject("result")).isEqualTo(new JsonObject());
      socket.call(McpHttp.request(3, "initialize", McpHttp.initializeParams("2025-11-25")));
      assertThat(socket.call(McpHttp.request(4, "initialize", McpHttp.initializeParams("2025-11-25")))
        .getJsonObject("error").getInteger("code")).isEqualTo(-32600);
    }
  }

  @Test
  void malformedMessagesAreAnsweredWithJsonRpcErrors() {
    try (McpWebSocket socket = McpWebSocket.connect(wsBase + "/mcp/ws", Map.of())) {
      socket.sendText("{not json");
      JsonObject parse = new JsonObject(socket.next());
      assertThat(parse.getJsonObject("error").getInteger("code")).isEqualTo(-32700);
      assertThat(parse.getValue("id")).isNull();
      socket.sendText("{\"jsonrpc\":\"2.0\",\"id\":5}");
      assertThat(new JsonObject(socket.next()).getJsonObject("error").getInteger("code")).isEqualTo(-32600);
    }
  }

  @Test
  void anOpenMemoryStylePathNamesTheUser() {
    try (McpWebSocket socket = McpWebSocket.connect(wsBase + "/mcp/agent/ws/ws-path-user", Map.of())) {
      socket.call(McpHttp.request(1, "initialize", McpHttp.initializeParams("2025-11-25")));
      socket.call(McpHttp.request(2, "tools/call", new JsonObject().put("name", "add_memories")
        .put("arguments", new JsonObject().put("text", "I grow tomatoes on my balcony"))));
      JsonObject listed = socket.call(McpHttp.request(3, "tools/call", new JsonObject().put("name", "list_memories")));
      JsonArray results = listed.getJsonObject("result").getJsonObject("structuredContent").getJsonArray("results");
      assertThat(results).hasSize(1);
      assertThat(results.getJsonObject(0).getString("user_id")).isEqualTo("ws-path-user");
      assertThat(results.getJsonObject(0).getJsonObject("metadata").getString("mcp_client")).isEqualTo("agent");
    }
  }

  @Test
  void aHandshakeFromAnotherOriginIsForbidden() {
    assertThatThrownBy(() -> McpWebSocket.connect(wsBase + "/mcp/ws", Map.of("Origin", "https://evil.example")))
      .isInstanceOfSatisfying(McpWebSocket.Refused.class, refused -> assertThat(refused.status()).isEqualTo(403));
    try (McpWebSocket allowed = McpWebSocket.connect(wsBase + "/mcp/ws", Map.of("Origin", "http://127.0.0.1:3000"))) {
      assertThat(allowed.subprotocol()).isEqualTo("mcp");
    }
  }

  @Test
  void aMessageOverTheSizeLimitClosesTheSocketWith1009() {
    try (McpWebSocket socket = McpWebSocket.connect(wsBase + "/mcp/ws", Map.of())) {
      socket.sendText(McpHttp.request(1, "tools/call", new JsonObject().put("name", "add_memories")
        .put("arguments", new JsonObject().put("text", "y".repeat(1_100_000)))).encode());
      assertThat(socket.awaitClose()).isEqualTo(1009);
    }
  }

  @Test
  void aMessageSplitOverFramesIsPutTogetherAndCountedWhole() {
    try (McpWebSocket socket = McpWebSocket.connect(wsBase + "/mcp/ws", Map.of())) {
      socket.sendFragmented("{\"jsonrpc\":\"2.0\",", "\"id\":7,\"method\":\"ping\"}");
      assertThat(new JsonObject(socket.next()).getValue("id")).isEqualTo(7);
      String half = "z".repeat(600_000);
      socket.sendFragmented("{\"text\":\"" + half, half + "\"}");
      assertThat(socket.awaitClose()).isEqualTo(1009);
    }
  }

  @Test
  void aBinaryFrameClosesTheSocketWith1003() {
    try (McpWebSocket socket = McpWebSocket.connect(wsBase + "/mcp/ws", Map.of())) {
      socket.sendBinary(new byte[] {1, 2, 3});
      assertThat(socket.awaitClose()).isEqualTo(1003);
    }
  }
}
