package dev.memgate.mcp.transport;

import dev.memgate.edge.EdgeLimits;
import dev.memgate.mcp.McpTestConfig;
import dev.memgate.mcp.McpVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MCP WebSocket pings its peer, so that idle timeouts on the way (proxies, the listener's own) leave an idle
 * session open, and lets go of a peer that answered no ping by the next one. The interval is shortened here; in
 * the service it is 30 s. A peer that answers is Vert.x's own WebSocket client (it answers every ping); one that
 * does not is written by hand on a plain TCP connection, since no WebSocket client can be told to stay silent.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 15, timeUnit = TimeUnit.SECONDS)
class WebSocketPingTest {
  private static final int PING_MS = 200;

  private int port;
  /**
   * Held for the whole test: Vert.x closes a client (and its connections) once nothing refers to it any more, which
   * a garbage collection during a slow first handshake would otherwise do.
   */
  private WebSocketClient webSocketClient;
  private NetClient netClient;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext deployed) {
    vertx.deployVerticle(new McpVerticle(), new DeploymentOptions().setConfig(McpTestConfig.verticle()
      .put("default_user", "pinged").put("ping_interval_ms", PING_MS)
      .put("edge", new EdgeLimits(1_000, 100, 120, 10_000, 30_000).toJson())))
      .onComplete(deployed.succeeding(id -> {
        port = McpVerticle.actualPort(vertx);
        deployed.completeNow();
      }));
  }

  @Test
  void anIdleSocketIsPingedAndStaysOpenWhileItsPeerAnswers(Vertx vertx, VertxTestContext testContext) {
    // Lax: pings go on arriving until the test's Vert.x is closed.
    Checkpoint fivePings = testContext.laxCheckpoint(5);
    // Not a browser: no Origin header (a browser's would have to be in mcp.allowed_origins).
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
      .setURI("/mcp/ws").addSubProtocol("mcp").setAllowOriginHeader(false);
    webSocketClient = vertx.createWebSocketClient();
    webSocketClient.connect(options).onComplete(testContext.succeeding(socket -> {
      testContext.verify(() -> assertThat(socket.subProtocol()).isEqualTo("mcp"));
      socket.frameHandler(frame -> {
        if (frame.isPing()) {
          fivePings.flag();
        }
      });
      socket.closeHandler(closed -> {
        if (!testContext.completed()) {
          testContext.failNow("the server closed a socket whose peer answers every ping (status "
            + socket.closeStatusCode() + ")");
        }
      });
    }));
  }

  @Test
  void aPeerThatAnswersNoPingIsLetGo(Vertx vertx, VertxTestContext testContext) {
    Checkpoint pinged = testContext.checkpoint();
    Checkpoint letGo = testContext.checkpoint();
    AtomicBoolean firstPing = new AtomicBoolean(true);
    AtomicBoolean closeFrame = new AtomicBoolean();
    netClient = vertx.createNetClient();
    netClient.connect(port, "127.0.0.1").onComplete(testContext.succeeding(socket -> {
      ServerFrames frames = new ServerFrames(
        head -> testContext.verify(() -> assertThat(head).startsWith("HTTP/1.1 101")),
        frame -> {
          if (frame.opcode() == ServerFrames.PING && firstPing.getAndSet(false)) {
            pinged.flag();
          } else if (frame.opcode() == ServerFrames.CLOSE) {
            closeFrame.set(true);
            testContext.verify(() -> assertThat(frame.closeCode()).as("close status").isEqualTo(1001));
            letGo.flag();
          }
        });
      socket.handler(frames::feed);
      socket.closeHandler(closed -> {
        if (!closeFrame.get()) {
          testContext.failNow("the connection ended without a close frame");
        }
      });
      socket.write(ServerFrames.upgradeRequest(port));
    }));
    // Many intervals: a server that lets go of silent peers has done so long before.
    vertx.setTimer(25L * PING_MS, timer -> {
      if (!closeFrame.get()) {
        testContext.failNow("the server kept a peer that answered no ping for " + 25 * PING_MS + " ms");
      }
    });
  }
}
