package dev.memgate.gateway.mcp;

import dev.memgate.contract.McpBus;
import dev.memgate.gateway.testing.Eventually;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.mcp.McpVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, finding 1: one MCP client cannot take the service down. A WebSocket client that writes calls without
 * reading the answers is no longer read from (its own writes back up), the heap stays bounded, REST keeps
 * answering others, and after the slow-client timeout the socket is cut; a client that reads but pipelines
 * thousands of calls gets every answer; HTTP/1.1 pipelining on /mcp is answered one request at a time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(VertxExtension.class)
class McpBackpressureTest {
  private static final String USER = "flooded";
  /** More calls than any buffers on the way could hold once the server stops reading. */
  private static final int FLOOD_CAP = 200_000;
  /** A socket the client never reads from: small buffers, so that the server's queue fills quickly. */
  private static final int SMALL_BUFFER = 8_192;

  private RunningService service;
  private int port;

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore(), Map.of(
      "MEMGATE_DEFAULT_USER", USER,
      "MEMGATE_MCP_MAX_IN_FLIGHT", "4",
      "MEMGATE_MCP_MAX_QUEUED_BYTES", "65536",
      "MEMGATE_MCP_SLOW_CLIENT_TIMEOUT_MS", "5000"));
    port = McpVerticle.actualPort(service.vertx());
    // Memories to list, so that every answer is a few kilobytes.
    for (int i = 0; i < 5; i++) {
      Reply added = service.api().post("/memories", new JsonObject()
        .put("messages", "Memory number " + i + ": " + "a long and detailed note about the garden. ".repeat(6))
        .put("user_id", USER).put("infer", false));
      assertThat(added.status()).as(added.toString()).isEqualTo(200);
    }
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  private static String initialize() {
    return McpHttp.request(0, "initialize", McpHttp.initializeParams("2025-11-25")).encode();
  }

  private static byte[] listCall(int id) {
    return RawSocket.textFrame(McpHttp.request(id, "tools/call", new JsonObject().put("name", "list_memories"))
      .encode());
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test
  void aWebSocketClientThatDoesNotReadIsNoLongerReadFromAndIsCutAfterTheSlowClientTimeout(VertxTestContext testContext)
    throws IOException {
    long heapBefore = usedHeapAfterGc();
    try (RawSocket socket = RawSocket.connect(port, "/mcp/ws", SMALL_BUFFER)) {
      socket.sendText(initialize());
      assertThat(new JsonObject(socket.nextText(30_000)).containsKey("result")).isTrue();
      byte[] call = listCall(1);
      int sent = 0;
      boolean backedUp = false;
      while (sent < FLOOD_CAP) {
        // Well under the slow-client timeout: a socket that takes nothing for this long has stopped being read.
        if (!socket.write(call, 1_000)) {
          backedUp = true;
          break;
        }
        sent++;
      }
      assertThat(backedUp).as("the server kept reading all %d calls of a client that reads nothing", sent)
        .isTrue();

      Reply search = service.api().post("/search", new JsonObject().put("query", "garden").put("user_id", USER));
      assertThat(search.status()).as("REST answers another client meanwhile").isEqualTo(200);
      assertThat(search.json().getJsonArray("results")).isNotEmpty();
      assertThat(usedHeapAfterGc() - heapBefore).as("heap growth while %d calls wait", sent)
        .isLessThan(64L << 20);

      // The client still reads nothing: after the slow-client timeout the server cuts the connection, which the
      // client notices when its pending writes fail.
      Eventually.await(Duration.ofSeconds(30), () -> {
        try {
          socket.flush(500);
          return false;
        } catch (IOException cut) {
          return true;
        }
      }, () -> "the connection of a client that reads nothing is still open");
    }
    // The server side notices too: the session ends, as the MCP edge reports it on the bus.
    whenNoWebSocketSessionIsLeft().onComplete(testContext.succeedingThenComplete());
  }

  @Test
  void aClientThatReadsGetsEveryAnswerOfThousandsOfPipelinedCalls() throws IOException {
    int calls = 3_000;
    try (RawSocket socket = RawSocket.connect(port, "/mcp/ws", 0)) {
      socket.sendText(initialize());
      socket.nextText(30_000);
      Set<Integer> answered = new HashSet<>();
      int sent = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (answered.size() < calls && System.nanoTime() < deadline) {
        while (sent < calls && socket.pendingBytes() < 64_000) {
          socket.append(listCall(sent));
          sent++;
        }
        socket.flush(0);
        RawSocket.Frame frame = socket.readFrame(20);
        if (frame != null && frame.opcode() == RawSocket.TEXT) {
          JsonObject reply = new JsonObject(frame.text());
          assertThat(reply.getJsonObject("result").getBoolean("isError", false)).as(reply.encode()).isFalse();
          answered.add(reply.getInteger("id"));
        }
        assertThat(frame == null || frame.opcode() != RawSocket.CLOSE).as("closed while reading").isTrue();
      }
      assertThat(answered).hasSize(calls);
    }
  }

  @Test
  void pipelinedHttpRequestsAreAnsweredOneAtATimeAndAClientThatDoesNotReadIsNoLongerReadFrom() throws IOException {
    McpHttp mcp = new McpHttp(service.mcpBase());
    String session = mcp.open();
    // A long id comes back in every answer, so that unread answers fill the buffers on the way quickly.
    String id = "x".repeat(2_000);
    String body = McpHttp.request(id, "ping", null).encode();
    byte[] request = ("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
      + "Accept: application/json\r\nMcp-Session-Id: " + session + "\r\nMCP-Protocol-Version: 2025-11-25\r\n"
      + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
      .getBytes(StandardCharsets.UTF_8);
    try (RawSocket socket = RawSocket.plain(port, SMALL_BUFFER)) {
      int sent = 0;
      boolean backedUp = false;
      while (sent < FLOOD_CAP) {
        if (!socket.write(request, 1_000)) {
          backedUp = true;
          break;
        }
        sent++;
      }
      assertThat(backedUp).as("the server kept reading all %d pipelined requests", sent).isTrue();
      Reply health = service.api().get("/health");
      assertThat(health.status()).isEqualTo(200);
      // Reading now, every request written is answered, in order.
      for (int i = 0; i < 3; i++) {
        RawSocket.Handshake head = socket.readResponseHead(30_000);
        assertThat(head.status()).isEqualTo(200);
        JsonObject answer = new JsonObject(new String(socket.readBody(Integer.parseInt(head.header("Content-Length")),
          30_000), StandardCharsets.UTF_8));
        assertThat(answer.getString("id")).isEqualTo(id);
      }
    }
  }

  /** Asks the MCP edge for its sessions every 100 ms until none is a WebSocket one; fails after 10 s saying why. */
  private Future<Void> whenNoWebSocketSessionIsLeft() {
    Vertx vertx = service.vertx();
    Promise<Void> gone = Promise.promise();
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    vertx.setPeriodic(100, timer -> vertx.eventBus().<JsonObject>request(McpBus.HEALTH, new JsonObject())
      .onFailure(err -> {
        vertx.cancelTimer(timer);
        gone.tryFail(err);
      })
      .onSuccess(reply -> {
        JsonObject health = reply.body();
        if (health.getJsonObject("sessions").getInteger("websocket", 0) == 0) {
          vertx.cancelTimer(timer);
          gone.tryComplete();
        } else if (System.nanoTime() > giveUp) {
          vertx.cancelTimer(timer);
          gone.tryFail(new AssertionError("the cut client's session is still open: " + health.encode()));
        }
      }));
    return gone.future();
  }
}
