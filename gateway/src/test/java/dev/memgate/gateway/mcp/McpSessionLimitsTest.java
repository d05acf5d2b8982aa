package dev.memgate.gateway.mcp;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.McpWebSocket;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.SseReader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10, finding 2: one client cannot lock the others out. Sessions are counted per client address; an address
 * that opens more than its share ends its own least recently used sessions, never anyone else's; standing streams
 * (WebSocket, legacy SSE) are capped per address with 429. The flood comes from 127.0.0.2, the other client from
 * 127.0.0.1: both loopback, two addresses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpSessionLimitsTest {
  private static final int PER_ADDRESS = 5;

  private RunningService service;
  private McpHttp mcp;

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore(), Map.of(
      "MEMGATE_DEFAULT_USER", "limited",
      "MEMGATE_MCP_MAX_SESSIONS_PER_ADDRESS", String.valueOf(PER_ADDRESS),
      "MEMGATE_MCP_MAX_STREAMS_PER_ADDRESS", "2"));
    mcp = new McpHttp(service.mcpBase());
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  /** Streamable HTTP from another loopback address. */
  private final class FromAddress {
    private final HttpClient client;

    FromAddress(String local) {
      try {
        client = HttpClient.newBuilder().localAddress(InetAddress.getByName(local))
          .connectTimeout(Duration.ofSeconds(5)).build();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    Reply post(JsonObject message, String session) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.mcpBase() + "/mcp"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(message.encode()));
      if (session != null) {
        request.header(McpHttp.SESSION, session).header(McpHttp.VERSION, "2025-11-25");
      }
      try {
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(response.statusCode(), response.headers().map(), Buffer.buffer(response.body()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    String initialize() {
      Reply reply = post(McpHttp.request(1, "initialize", McpHttp.initializeParams("2025-11-25")), null);
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
      return reply.header(McpHttp.SESSION);
    }

    int ping(String session) {
      return post(McpHttp.request(2, "ping", null), session).status();
    }
  }

  @Test
  void aFloodOfSessionsFromOneAddressEndsOnlyThatAddresssOldestSessions() {
    FromAddress other = new FromAddress("127.0.0.1");
    String before = other.initialize();

    FromAddress flood = new FromAddress("127.0.0.2");
    List<String> flooded = new ArrayList<>();
    for (int i = 0; i < 4 * PER_ADDRESS; i++) {
      flooded.add(flood.initialize());
    }

    assertThat(other.ping(before)).as("a session the other address had before the flood").isEqualTo(200);
    String after = other.initialize();
    assertThat(other.ping(after)).as("a session the other address opens after the flood").isEqualTo(200);
    JsonObject listed = mcp.call(after, "tools/list", new JsonObject());
    assertThat(listed.getJsonObject("result").getJsonArray("tools")).isNotEmpty();

    for (int i = 0; i < flooded.size(); i++) {
      int expected = i < flooded.size() - PER_ADDRESS ? 404 : 200;
      assertThat(flood.ping(flooded.get(i))).as("flooding session %d of %d", i + 1, flooded.size())
        .isEqualTo(expected);
    }
  }

  @Test
  void anAddressMayHoldOnlySoManyStreamsAndTheNextIsRefusedWith429() {
    String ws = service.mcpBase().replace("http://", "ws://") + "/mcp/ws";
    try (SseReader first = SseReader.open(mcp.base() + "/sse", Map.of());
         McpWebSocket second = McpWebSocket.connect(ws, Map.of())) {
      assertThat(first.status()).isEqualTo(200);
      assertThat(second.subprotocol()).isEqualTo("mcp");
      try (SseReader third = SseReader.open(mcp.base() + "/sse", Map.of())) {
        assertThat(third.status()).isEqualTo(429);
      }
      assertThatThrownBy(() -> McpWebSocket.connect(ws, Map.of()))
        .isInstanceOfSatisfying(McpWebSocket.Refused.class, refused -> assertThat(refused.status()).isEqualTo(429));
      Reply refused = mcp.send(HttpRequest.newBuilder(URI.create(mcp.base() + "/sse"))
        .header("Accept", "text/event-stream").GET());
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.header("Retry-After")).isNotBlank();
      assertThat(refused.json().getJsonObject("error").getString("message")).contains("mcp.max_streams_per_address");
      // Sessions without a standing connection are not streams.
      assertThat(mcp.open()).isNotBlank();
    }
  }
}
