package dev.memgate.mcp.transport;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Reads what a WebSocket server sends down a plain TCP connection, for a hand-written peer (one that must be able
 * to leave pings unanswered, which no WebSocket client allows): the handshake's response head, then each frame
 * (server frames are unmasked), handed over as its opcode and payload. Fed the connection's buffers as they come.
 */
final class ServerFrames {
  static final int CLOSE = 0x8;
  static final int PING = 0x9;

  /** One frame from the server. */
  record Frame(int opcode, Buffer payload) {
    /** The status code of a close frame. */
    int closeCode() {
      return payload.getUnsignedShort(0);
    }
  }

  private final Handler<String> head;
  private final Handler<Frame> frames;
  private Buffer pending = Buffer.buffer();
  private boolean headRead;

  ServerFrames(Handler<String> head, Handler<Frame> frames) {
    this.head = head;
    this.frames = frames;
  }

  /** The upgrade request a browser would send for {@code /mcp/ws}, offering the {@code mcp} subprotocol. */
  static Buffer upgradeRequest(int port) {
    return Buffer.buffer("GET /mcp/ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
      + "Sec-WebSocket-Protocol: mcp\r\n\r\n", StandardCharsets.US_ASCII.name());
  }

  void feed(Buffer received) {
    pending.appendBuffer(received);
    if (!headRead) {
      String text = pending.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      if (end < 0) {
        return;
      }
      headRead = true;
      pending = pending.getBuffer(end + 4, pending.length());
      head.handle(text.substring(0, end));
    }
    while (true) {
      Frame frame = nextFrame();
      if (frame == null) {
        return;
      }
      frames.handle(frame);
    }
  }

  /** The next complete frame, or null until more has arrived. */
  private Frame nextFrame() {
    if (pending.length() < 2) {
      return null;
    }
    int opcode = pending.getUnsignedByte(0) & 0x0F;
    long length = pending.getUnsignedByte(1) & 0x7F;
    int offset = 2;
    if (length == 126) {
      if (pending.length() < 4) {
        return null;
      }
      length = pending.getUnsignedShort(2);
      offset = 4;
    } else if (length == 127) {
      if (pending.length() < 10) {
        return null;
      }
      length = pending.getLong(2);
      offset = 10;
    }
    if (pending.length() < offset + length) {
      return null;
    }
    Buffer payload = pending.getBuffer(offset, offset + (int) length);
    pending = pending.getBuffer(offset + (int) length, pending.length());
    return new Frame(opcode, payload);
  }
}
