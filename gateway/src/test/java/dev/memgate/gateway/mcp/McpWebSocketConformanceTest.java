package dev.memgate.gateway.mcp;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.mcp.McpVerticle;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, finding 8: the WebSocket transport keeps RFC 6455. Invalid UTF-8 closes with 1007, reserved bits with
 * 1002, a frame over the message limit with 1009 (a close frame, not a dropped connection); an upgrade offering
 * only unknown subprotocols is refused before it upgrades, one offering mcp among others gets mcp, one offering none
 * is accepted. Frames are written by hand, masked, on a plain socket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpWebSocketConformanceTest {
  private static final int MAX_MESSAGE = 4_096;
  private static final long WAIT_MS = 30_000;

  private RunningService service;
  private int port;

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore(), Map.of(
      "MEMGATE_DEFAULT_USER", "conformance",
      "MEMGATE_MCP_MAX_MESSAGE_BYTES", String.valueOf(MAX_MESSAGE)));
    port = McpVerticle.actualPort(service.vertx());
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  private RawSocket initialized() {
    RawSocket socket = RawSocket.connect(port, "/mcp/ws", 0);
    socket.sendText(McpHttp.request(0, "initialize", McpHttp.initializeParams("2025-11-25")).encode());
    assertThat(new JsonObject(socket.nextText(WAIT_MS)).containsKey("result")).isTrue();
    return socket;
  }

  @Test
  void validUtf8IncludingCharactersOutsideTheBmpTravelsBothWays() {
    try (RawSocket socket = initialized()) {
      String id = "caf\u00e9 \u20ac \ud83d\udc1d";
      socket.sendText(McpHttp.request(id, "ping", null).encode());
      assertThat(new JsonObject(socket.nextText(WAIT_MS)).getString("id")).isEqualTo(id);
    }
  }

  @Test
  void aTextFrameThatIsNotValidUtf8ClosesWith1007() {
    try (RawSocket socket = initialized()) {
      byte[] valid = McpHttp.request(1, "ping", null).encode().getBytes(StandardCharsets.UTF_8);
      byte[] broken = Arrays.copyOf(valid, valid.length + 2);
      // A lone lead byte followed by an ASCII character: not UTF-8.
      broken[valid.length] = (byte) 0xC3;
      broken[valid.length + 1] = (byte) 0x28;
      socket.send(RawSocket.frame(RawSocket.TEXT, true, 0, broken));
      assertThat(socket.awaitClose(WAIT_MS)).isEqualTo(1007);
    }
  }

  @Test
  void invalidUtf8SplitOverFramesClosesWith1007Too() {
    try (RawSocket socket = initialized()) {
      socket.send(RawSocket.frame(RawSocket.TEXT, false, 0, "{\"jsonrpc\":\"2.0\",\"id\":\"".getBytes(
        StandardCharsets.UTF_8)));
      socket.send(RawSocket.frame(0x0, true, 0, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}));
      assertThat(socket.awaitClose(WAIT_MS)).isEqualTo(1007);
    }
  }

  @Test
  void aFrameWithReservedBitsSetClosesWith1002() {
    for (int rsv : new int[] {4, 2, 1}) {
      try (RawSocket socket = initialized()) {
        socket.send(RawSocket.frame(RawSocket.TEXT, true, rsv, McpHttp.request(1, "ping", null).encode()
          .getBytes(StandardCharsets.UTF_8)));
        assertThat(socket.awaitClose(WAIT_MS)).as("RSV bits %d", rsv).isEqualTo(1002);
      }
    }
  }

  @Test
  void aSingleFrameOverTheMessageLimitClosesWith1009() {
    try (RawSocket socket = initialized()) {
      String text = McpHttp.request(1, "tools/call", new JsonObject().put("name", "add_memories")
        .put("arguments", new JsonObject().put("text", "z".repeat(MAX_MESSAGE)))).encode();
      socket.send(RawSocket.textFrame(text));
      assertThat(socket.awaitClose(WAIT_MS)).isEqualTo(1009);
    }
  }

  @Test
  void anUpgradeOfferingOnlyUnknownSubprotocolsIsRefusedBeforeItUpgrades() {
    try (RawSocket socket = RawSocket.open(port, "/mcp/ws", Map.of("Sec-WebSocket-Protocol", "foo, bar"), 0)) {
      RawSocket.Handshake refused = socket.handshake();
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.header("Content-Type")).startsWith("application/json");
    }
  }

  @Test
  void anUpgradeOfferingMcpAmongOthersGetsMcp() {
    try (RawSocket socket = RawSocket.open(port, "/mcp/ws", Map.of("Sec-WebSocket-Protocol", "foo, mcp"), 0)) {
      assertThat(socket.handshake().status()).isEqualTo(101);
      assertThat(socket.handshake().header("Sec-WebSocket-Protocol")).isEqualTo("mcp");
      socket.sendText(McpHttp.request(1, "ping", null).encode());
      assertThat(new JsonObject(socket.nextText(WAIT_MS)).getJsonObject("result")).isEqualTo(new JsonObject());
    }
  }

  @Test
  void anUpgradeOfferingNoSubprotocolIsAccepted() {
    try (RawSocket socket = RawSocket.open(port, "/mcp/ws", Map.of(), 0)) {
      assertThat(socket.handshake().status()).isEqualTo(101);
      assertThat(socket.handshake().header("Sec-WebSocket-Protocol")).isNull();
      socket.sendText(McpHttp.request(1, "ping", null).encode());
      assertThat(new JsonObject(socket.nextText(WAIT_MS)).getJsonObject("result")).isEqualTo(new JsonObject());
    }
  }
}
