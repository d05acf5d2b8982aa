package dev.memgate.gateway.mcp;

import dev.memgate.gateway.testing.Eventually;
import dev.memgate.gateway.testing.FakeLlmServer;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.SseReader;
import dev.memgate.mcp.McpVerticle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, finding 1 over HTTP: a session answers at most {@code mcp.max_in_flight} requests at once. A Streamable
 * HTTP or legacy SSE session with that many unanswered gets 429 with Retry-After for the next one (other sessions
 * are not affected); a legacy event stream whose client does not read it fills up, then POSTs to it get 429, and
 * after the slow-client timeout the stream is cut and its session ends. The requests held in flight are adds
 * waiting for a language model that answers slowly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpInFlightLimitTest {
  private static final String ADD_TEXT = "I keep bees on the roof";

  private FakeLlmServer llm;
  private RunningService service;
  private McpHttp mcp;

  @BeforeAll
  void start() {
    llm = new FakeLlmServer()
      .script(call -> new JsonObject().put("facts", new JsonArray().add("Keeps bees")).encode())
      .mode(FakeLlmServer.Mode.SLOW).slowMs(15_000);
    service = RunningService.start(new LuceneStore(), Map.of(
      "LLM_PROVIDER", "openai",
      "OPENAI_BASE_URL", llm.baseUrl("openai"),
      "MEMGATE_DEFAULT_USER", "busy",
      "MEMGATE_MCP_MAX_IN_FLIGHT", "2",
      "MEMGATE_MCP_MAX_QUEUED_BYTES", "16384",
      "MEMGATE_MCP_SLOW_CLIENT_TIMEOUT_MS", "3000"));
    mcp = new McpHttp(service.mcpBase());
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
    if (llm != null) {
      llm.close();
    }
  }

  private static String toolCall(int id, String tool, JsonObject arguments) {
    return McpHttp.request(id, "tools/call", new JsonObject().put("name", tool).put("arguments", arguments))
      .encode();
  }

  private static Map<String, String> inSession(String session) {
    return Map.of(McpHttp.SESSION, session, McpHttp.VERSION, "2025-11-25");
  }

  @Test
  void aStreamableHttpSessionWithMaxInFlightRequestsUnansweredGets429() {
    String session = mcp.open();
    String slowAdd = toolCall(1, "add_memories", new JsonObject().put("text", ADD_TEXT));
    // Three adds at once, each held for seconds by the model: one more than the session may have in flight.
    List<CompletableFuture<Reply>> adds = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 3; i++) {
        adds.add(CompletableFuture.supplyAsync(() -> mcp.post("/mcp", slowAdd, inSession(session)), threads));
      }
      Eventually.await(Duration.ofSeconds(10), () -> adds.stream().anyMatch(McpInFlightLimitTest::refused),
        () -> "none of three concurrent requests was refused");
      threads.shutdownNow();
    }
    Reply reply = adds.stream().filter(McpInFlightLimitTest::refused).findFirst().orElseThrow().join();
    assertThat(reply.header("Retry-After")).isNotBlank();
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    JsonObject error = reply.json().getJsonObject("error");
    assertThat(error.getInteger("code")).isEqualTo(-32000);
    assertThat(error.getString("message")).contains("mcp.max_in_flight");

    String other = mcp.open();
    assertThat(mcp.post("/mcp", toolCall(2, "list_memories", new JsonObject()), inSession(other)).status())
      .as("another session").isEqualTo(200);
  }

  private static boolean refused(CompletableFuture<Reply> reply) {
    return reply.isDone() && !reply.isCompletedExceptionally() && reply.join().status() == 429;
  }

  @Test
  void aLegacySseSessionWithMaxInFlightRequestsUnansweredGets429() {
    try (SseReader stream = SseReader.open(mcp.base() + "/sse", Map.of())) {
      String endpoint = stream.next().data();
      assertThat(mcp.post(endpoint, McpHttp.request(0, "initialize", McpHttp.initializeParams("2024-11-05"))
        .encode(), Map.of()).status()).isEqualTo(202);
      stream.next();
      String slowAdd = toolCall(1, "add_memories", new JsonObject().put("text", ADD_TEXT));
      assertThat(mcp.post(endpoint, slowAdd, Map.of()).status()).isEqualTo(202);
      assertThat(mcp.post(endpoint, slowAdd, Map.of()).status()).isEqualTo(202);
      Reply refused = mcp.post(endpoint, toolCall(2, "list_memories", new JsonObject()), Map.of());
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.header("Retry-After")).isNotBlank();
      assertThat(refused.json().getJsonObject("error").getString("message")).contains("mcp.max_in_flight");
    }
  }

  @Test
  void aLegacyStreamNobodyReadsFillsThenPostsGet429AndAfterTheSlowClientTimeoutTheSessionEnds() {
    int port = McpVerticle.actualPort(service.vertx());
    try (RawSocket stream = RawSocket.plain(port, 4_096)) {
      stream.append(("GET /sse HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/event-stream\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
      assertThat(flush(stream)).isTrue();
      assertThat(stream.readResponseHead(30_000).status()).isEqualTo(200);
      String endpoint = endpointOf(stream);
      assertThat(mcp.post(endpoint, McpHttp.request(0, "initialize", McpHttp.initializeParams("2024-11-05"))
        .encode(), Map.of()).status()).isEqualTo(202);
      // From here on the client reads nothing from its stream; every answer is a long one.
      String ping = McpHttp.request("y".repeat(100_000), "ping", null).encode();
      Reply last = null;
      for (int i = 0; i < 2_000 && (last == null || last.status() != 429); i++) {
        last = mcp.post(endpoint, ping, Map.of());
      }
      assertThat(last.status()).as("posts to a stream nobody reads were never refused; last answer %s", last)
        .isEqualTo(429);
      assertThat(last.json().getJsonObject("error").getString("message")).contains("mcp.max_queued_bytes");

      Eventually.await(Duration.ofSeconds(30), () -> mcp.post(endpoint, ping, Map.of()).status() == 404,
        () -> "the session of a stream nobody reads did not end");
      assertThat(stream.endsWithin(30_000)).as("the stream was cut").isTrue();
    }
  }

  private static boolean flush(RawSocket socket) {
    try {
      return socket.flush(10_000);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads the stream up to its first event, the endpoint to POST to. */
  private static String endpointOf(RawSocket stream) {
    StringBuilder text = new StringBuilder();
    while (text.indexOf("data:") < 0 || text.indexOf("\n", text.indexOf("data:")) < 0) {
      text.append(new String(stream.readBody(1, 30_000), StandardCharsets.UTF_8));
    }
    int data = text.indexOf("data:");
    return text.substring(data + 5, text.indexOf("\n", data)).strip();
  }
}
