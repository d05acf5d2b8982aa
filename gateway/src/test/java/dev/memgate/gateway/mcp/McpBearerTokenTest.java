package dev.memgate.gateway.mcp;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.McpWebSocket;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.SseReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With MEMGATE_MCP_TOKEN set, every MCP request on every HTTP transport needs the bearer token, and holding a
 * session id is not enough.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpBearerTokenTest {
  private static final String TOKEN = "s3cret-token-for-tests";
  private static final Map<String, String> AUTHORIZED = Map.of("Authorization", "Bearer " + TOKEN);

  private RunningService service;
  private McpHttp mcp;

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore(), Map.of("MEMGATE_MCP_TOKEN", TOKEN));
    mcp = new McpHttp(service.mcpBase());
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void aRequestWithoutTheTokenIs401() {
    String initialize = McpHttp.request(1, "initialize", McpHttp.initializeParams("2025-11-25")).encode();
    Reply missing = mcp.post("/mcp", initialize, Map.of());
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(mcp.post("/mcp", initialize, Map.of("Authorization", "Bearer wrong")).status()).isEqualTo(401);
    assertThat(mcp.post("/mcp", initialize, Map.of("Authorization", TOKEN)).status()).isEqualTo(401);
    assertThat(mcp.post("/mcp", initialize, AUTHORIZED).status()).isEqualTo(200);
  }

  @Test
  void aSessionIdIsNotACredential() {
    String session = mcp.open("/mcp", AUTHORIZED);
    Reply without = mcp.post("/mcp", McpHttp.request(2, "ping", null).encode(), Map.of(McpHttp.SESSION, session));
    assertThat(without.status()).isEqualTo(401);
    assertThat(mcp.call("/mcp", session, AUTHORIZED, "ping", null).getJsonObject("result")).isNotNull();
  }

  @Test
  void theLegacyStreamAndTheWebSocketNeedTheTokenToo() {
    try (SseReader refused = SseReader.open(mcp.base() + "/sse", Map.of())) {
      assertThat(refused.status()).isEqualTo(401);
    }
    try (SseReader allowed = SseReader.open(mcp.base() + "/sse", AUTHORIZED)) {
      assertThat(allowed.status()).isEqualTo(200);
      String endpoint = allowed.next().data();
      assertThat(mcp.post(endpoint, McpHttp.request(1, "ping", null).encode(), Map.of()).status()).isEqualTo(401);
      assertThat(mcp.post(endpoint, McpHttp.request(1, "ping", null).encode(), AUTHORIZED).status()).isEqualTo(202);
    }
    String ws = service.mcpBase().replace("http://", "ws://") + "/mcp/ws";
    assertThatThrownBy(() -> McpWebSocket.connect(ws, Map.of()))
      .isInstanceOfSatisfying(McpWebSocket.Refused.class, refused -> assertThat(refused.status()).isEqualTo(401));
    try (McpWebSocket socket = McpWebSocket.connect(ws, AUTHORIZED)) {
      assertThat(socket.subprotocol()).isEqualTo("mcp");
    }
  }

  @Test
  void aWrongOriginIsRefusedBeforeTheTokenIsLookedAt() {
    Reply reply = mcp.post("/mcp", "{}", Map.of("Origin", "http://evil.example", "Authorization",
      "Bearer " + TOKEN));
    assertThat(reply.status()).isEqualTo(403);
  }
}
