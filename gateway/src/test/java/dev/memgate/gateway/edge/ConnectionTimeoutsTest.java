package dev.memgate.gateway.edge;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.RawHttp;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.SseReader;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection that holds a descriptor without making progress is closed: headers that never finish, a body
 * that never arrives (408), a kept-alive connection that trickles bytes. An event stream that is legitimately
 * quiet, and the requests of ordinary clients, are left alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionTimeoutsTest {
  private RunningService service;
  private Api api;
  private int restPort;
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore(), Map.of(
      "MEMGATE_HEADER_TIMEOUT_MS", "500",
      "MEMGATE_BODY_TIMEOUT_MS", "500",
      "MEMGATE_IDLE_TIMEOUT_SECONDS", "1"));
    api = service.api();
    restPort = URI.create(api.base()).getPort();
  }

  @AfterAll
  void stop() {
    clock.shutdownNow();
    service.close();
  }

  @Test
  void headersThatNeverFinishCloseTheConnection() {
    try (RawHttp slow = RawHttp.connect(restPort, "127.0.0.1")) {
      slow.write("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Wait: ");
      assertThat(slow.closedByServer()).isTrue();
    }
    assertThat(api.get("/health").json().getJsonObject("components").getJsonObject("edge").getLong("timed_out"))
      .isGreaterThanOrEqualTo(1);
  }

  @Test
  void aBodyThatNeverArrivesIsAnswered408() {
    try (RawHttp slow = RawHttp.connect(restPort, "127.0.0.1")) {
      slow.write("POST /search HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: 200\r\n\r\n{\"query\": ");
      RawHttp.Answer answer = slow.readAnswer();
      assertThat(answer.status()).isEqualTo(408);
      assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(answer.json().getInteger("status")).isEqualTo(408);
      assertThat(slow.closedByServer()).isTrue();
    }
  }

  @Test
  void aKeptAliveConnectionThatTricklesBytesIsClosed() {
    try (RawHttp trickle = RawHttp.connect(restPort, "127.0.0.1")) {
      assertThat(trickle.get("/health")).isEqualTo(200);
      trickle.write("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Pad: ");
      var dripping = clock.scheduleAtFixedRate(() -> trickle.write("a"), 100, 100, TimeUnit.MILLISECONDS);
      try {
        assertThat(trickle.closedByServer()).isTrue();
      } finally {
        dripping.cancel(true);
      }
    }
  }

  @Test
  void aQuietEventStreamOutlivesEveryTimeout() throws Exception {
    McpHttp mcp = new McpHttp(service.mcpBase());
    try (SseReader stream = SseReader.open(mcp.base() + "/sse", Map.of("X-Memgate-User", "quiet-user"))) {
      String endpoint = stream.next().data();
      // Longer than the header, body and idle timeouts together, with nothing sent either way.
      CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(2_500, TimeUnit.MILLISECONDS)).get();
      assertThat(mcp.post(endpoint, McpHttp.request(1, "initialize", McpHttp.initializeParams("2024-11-05"))
        .encode(), Map.of()).status()).isEqualTo(202);
      assertThat(new JsonObject(stream.next().data()).getJsonObject("result").getString("protocolVersion"))
        .isEqualTo("2024-11-05");
    }
  }
}
