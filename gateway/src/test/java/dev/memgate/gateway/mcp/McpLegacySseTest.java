package dev.memgate.gateway.mcp;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.SseReader;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The legacy HTTP+SSE transport (MCP 2024-11-05) on {@code /sse}, spoken by hand. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpLegacySseTest {
  private RunningService service;
  private McpHttp mcp;

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore());
    mcp = new McpHttp(service.mcpBase());
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void theStreamNamesWhereToPostAndCarriesTheAnswers() {
    try (SseReader stream = SseReader.open(mcp.base() + "/sse", Map.of("X-Memgate-User", "legacy-user"))) {
      assertThat(stream.status()).isEqualTo(200);
      SseReader.Event endpoint = stream.next();
      assertThat(endpoint.name()).isEqualTo("endpoint");
      assertThat(endpoint.data()).matches("/messages\\?sessionId=[A-Za-z0-9_-]{32,}");

      Reply posted = mcp.post(endpoint.data(), McpHttp.request(1, "initialize",
        McpHttp.initializeParams("2024-11-05")).encode(), Map.of());
      assertThat(posted.status()).isEqualTo(202);
      SseReader.Event answer = stream.next();
      assertThat(answer.name()).isEqualTo("message");
      JsonObject result = new JsonObject(answer.data()).getJsonObject("result");
      assertThat(result.getString("protocolVersion")).isEqualTo("2024-11-05");

      mcp.post(endpoint.data(), McpHttp.request(2, "tools/call", new JsonObject().put("name", "list_memories")
        .put("arguments", new JsonObject())).encode(), Map.of());
      JsonObject listed = new JsonObject(stream.next().data());
      assertThat(listed.getValue("id")).isEqualTo(2);
      assertThat(listed.getJsonObject("result").getJsonObject("structuredContent").getJsonArray("results")).isEmpty();

      Reply broken = mcp.post(endpoint.data(), "{nope", Map.of());
      assertThat(broken.status()).isEqualTo(400);
      assertThat(broken.json().getJsonObject("error").getInteger("code")).isEqualTo(-32700);
    }
  }

  @Test
  void requestsBeforeInitializeAreRefusedExceptPing() {
    try (SseReader stream = SseReader.open(mcp.base() + "/sse", Map.of())) {
      String endpoint = stream.next().data();
      mcp.post(endpoint, McpHttp.request(1, "tools/list", null).encode(), Map.of());
      assertThat(new JsonObject(stream.next().data()).getJsonObject("error").getInteger("code")).isEqualTo(-32600);
      mcp.post(endpoint, McpHttp.request(2, "ping", null).encode(), Map.of());
      assertThat(new JsonObject(stream.next().data()).getJsonObject("result")).isEqualTo(new JsonObject());
      mcp.post(endpoint, McpHttp.request(3, "initialize", McpHttp.initializeParams("2024-11-05")).encode(), Map.of());
      stream.next();
      mcp.post(endpoint, McpHttp.request(4, "initialize", McpHttp.initializeParams("2024-11-05")).encode(), Map.of());
      assertThat(new JsonObject(stream.next().data()).getJsonObject("error").getInteger("code")).isEqualTo(-32600);
    }
  }

  @Test
  void postsToAMissingOrUnknownSessionAreRefused() {
    String ping = McpHttp.request(1, "ping", null).encode();
    assertThat(mcp.post("/messages", ping, Map.of()).status()).isEqualTo(400);
    assertThat(mcp.post("/messages?sessionId=unknown-session", ping, Map.of()).status()).isEqualTo(404);
  }

  @Test
  void aStreamSessionIsNotAStreamableHttpSession() {
    try (SseReader stream = SseReader.open(mcp.base() + "/sse", Map.of())) {
      String endpoint = stream.next().data();
      String session = endpoint.substring(endpoint.indexOf('=') + 1);
      Reply reply = mcp.post("/mcp", McpHttp.request(1, "ping", null).encode(), Map.of(McpHttp.SESSION, session));
      assertThat(reply.status()).isEqualTo(404);
    }
  }
}
