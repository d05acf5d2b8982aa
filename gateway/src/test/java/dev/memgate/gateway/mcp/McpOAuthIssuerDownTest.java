package dev.memgate.gateway.mcp;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An authorization server that cannot be reached: Memgate starts anyway, its tokens get 503 with Retry-After at once
 * (on MCP and REST), and the operator's key keeps working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpOAuthIssuerDownTest {
  private static final String OPERATOR_KEY = "operator-key-issuer-down";
  /** Well formed and RS256, so that it reaches the key lookup; no issuer could have signed it. */
  private static final String TOKEN = b64("{\"alg\":\"RS256\",\"kid\":\"k1\"}") + "." + b64("{\"sub\":\"x\"}") + "."
    + b64("not-a-signature");

  private RunningService service;
  private McpHttp mcp;

  @BeforeAll
  void start() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    service = RunningService.start(new LuceneStore(), Map.of(
      "MEMGATE_OAUTH_ISSUER", "http://127.0.0.1:" + closedPort,
      "MEMGATE_OAUTH_FETCH_TIMEOUT_MS", "500",
      "MEMGATE_PUBLIC_URL", "https://memory.example.test",
      "MEMGATE_API_KEY", OPERATOR_KEY));
    mcp = new McpHttp(service.mcpBase());
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void tokensGet503WithoutWaitingAndTheOperatorKeyStillWorks() {
    for (int i = 0; i < 3; i++) {
      long started = System.nanoTime();
      Reply reply = mcp.initialize("/mcp", Map.of("Authorization", "Bearer " + TOKEN),
        McpHttp.initializeParams("2025-11-25"));
      assertThat(System.nanoTime() - started).as("answered at once").isLessThan(3_000_000_000L);
      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.header("Retry-After")).isNotNull();
      assertThat(reply.json().getJsonObject("error").getString("message")).contains("authorization server");
      assertThat(reply.text()).doesNotContain(TOKEN);
    }
    Reply rest = service.api().send(HttpRequest.newBuilder(service.api().uri("/memories?user_id=x"))
      .header("Authorization", "Bearer " + TOKEN).GET());
    assertThat(rest.status()).isEqualTo(503);
    assertThat(rest.header("Content-Type")).startsWith("application/problem+json");
    assertThat(rest.header("Retry-After")).isNotNull();

    assertThat(mcp.initialize("/mcp", Map.of("Authorization", "Bearer " + OPERATOR_KEY),
      McpHttp.initializeParams("2025-11-25")).status()).isEqualTo(200);
    Reply listed = service.api().send(HttpRequest.newBuilder(service.api().uri("/memories?user_id=x"))
      .header("X-API-Key", OPERATOR_KEY).GET());
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.json()).isInstanceOf(JsonObject.class);
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
