package dev.memgate.mcp.transport;

import dev.memgate.edge.EdgeLimits;
import dev.memgate.mcp.McpVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MCP WebSocket pings its peer, so that idle timeouts on the way (proxies, the listener's own) leave an idle
 * session open, and lets go of a peer that answered no ping by the next one. The interval is shortened here; in
 * the service it is 30 s. The client is written by hand on a plain socket, so that it can leave pings unanswered.
 */
class WebSocketPingTest {
  private static final int PING_MS = 200;

  private Vertx vertx;
  private int port;

  @BeforeEach
  void deploy() {
    vertx = Vertx.vertx();
    vertx.deployVerticle(new McpVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("port", 0).put("default_user", "pinged").put("ping_interval_ms", PING_MS)
      .put("edge", new EdgeLimits(1_000, 100, 120, 10_000, 30_000).toJson()))).await();
    port = McpVerticle.actualPort(vertx);
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** One frame from the server (unmasked): opcode and payload; null when the connection ended. */
  private record Frame(int opcode, byte[] payload) {
  }

  private Socket upgrade() throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    String request = "GET /mcp/ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
      + "Sec-WebSocket-Protocol: mcp\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    DataInputStream in = new DataInputStream(socket.getInputStream());
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      head.append((char) in.readUnsignedByte());
    }
    assertThat(head.toString()).startsWith("HTTP/1.1 101");
    return socket;
  }

  private static Frame read(Socket socket) throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    int first;
    try {
      first = in.read();
    } catch (IOException reset) {
      return null;
    }
    if (first < 0) {
      return null;
    }
    int length = in.readUnsignedByte() & 0x7F;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = (int) in.readLong();
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new Frame(first & 0x0F, payload);
  }

  private static void pong(Socket socket, byte[] payload) throws IOException {
    byte[] mask = {1, 2, 3, 4};
    OutputStream out = socket.getOutputStream();
    out.write(0x80 | 0xA);
    out.write(0x80 | payload.length);
    out.write(mask);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    out.flush();
  }

  @Test
  void anIdleSocketIsPingedAndStaysOpenWhileItsPeerAnswers() throws IOException {
    try (Socket socket = upgrade()) {
      for (int i = 0; i < 5; i++) {
        Frame frame = read(socket);
        assertThat(frame).as("ping %d", i + 1).isNotNull();
        assertThat(frame.opcode()).isEqualTo(0x9);
        pong(socket, frame.payload());
      }
    }
  }

  @Test
  void aPeerThatAnswersNoPingIsLetGo() throws IOException {
    try (Socket socket = upgrade()) {
      Frame frame = read(socket);
      assertThat(frame.opcode()).isEqualTo(0x9);
      int closeCode = -1;
      while ((frame = read(socket)) != null) {
        if (frame.opcode() == 0x8) {
          closeCode = ((frame.payload()[0] & 0xFF) << 8) | (frame.payload()[1] & 0xFF);
          break;
        }
      }
      assertThat(closeCode).isEqualTo(1001);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept a peer that answers no ping", e);
    }
  }
}
