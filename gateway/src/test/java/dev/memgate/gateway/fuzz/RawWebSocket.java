package dev.memgate.gateway.fuzz;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client that writes every frame by hand (RFC 6455), so that it can send what no client library
 * will: reserved bits, unknown opcodes, unmasked frames, bytes that are not UTF-8 in a text frame, a frame longer
 * than the server allows, control frames out of place. Text messages and the server's close frame are handed over
 * in order; a connection that ends without a close frame says so.
 */
final class RawWebSocket implements AutoCloseable {
  /** Something the server did. */
  sealed interface Event {
  }

  /** A whole text (or binary) message. */
  record Message(String text, boolean binary) implements Event {
  }

  /** The server's close frame (code -1 when it carried none, 1005 in RFC terms). */
  record Closed(int code, String reason) implements Event {
  }

  /** The connection ended without a close frame. */
  record Dropped() implements Event {
  }

  /** The outcome of the opening handshake: an open socket on 101, otherwise the HTTP answer. */
  record Upgrade(HttpAnswer answer, RawWebSocket socket) {
  }

  static final int TEXT = 1;
  static final int BINARY = 2;
  static final int CONTINUATION = 0;
  static final int CLOSE = 8;
  static final int PING = 9;
  static final int PONG = 10;

  private final NetSocket socket;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final ByteArrayOutputStream message = new ByteArrayOutputStream();
  private boolean binaryMessage;
  private Buffer pending = Buffer.buffer();
  private volatile boolean ended;

  private RawWebSocket(NetSocket socket) {
    this.socket = socket;
  }

  /** Opens a connection and sends this handshake: {@code headers} are written as given after the request line. */
  static Upgrade connect(Vertx vertx, NetClient client, int port, String path, List<String[]> headers,
                         long timeoutMs) {
    Promise<Upgrade> promise = Promise.promise();
    client.connect(port, "127.0.0.1").onFailure(err -> promise.tryComplete(new Upgrade(HttpAnswer.failed(
      "connect failed: " + err), null))).onSuccess(socket -> {
        Buffer received = Buffer.buffer();
        RawWebSocket[] open = {null};
        long[] idle = {-1};
        long timer = vertx.setTimer(timeoutMs, t -> {
          promise.tryComplete(new Upgrade(HttpAnswer.failed("no answer to the handshake within "
            + timeoutMs / 1000 + " s"), null));
          socket.close();
        });
        socket.handler(chunk -> {
          if (open[0] != null) {
            open[0].receive(chunk);
            return;
          }
          received.appendBuffer(chunk);
          byte[] data = received.getBytes();
          int end = HttpAnswer.indexOf(data, 0, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          if (end < 0) {
            return;
          }
          HttpAnswer answer = HttpAnswer.parse(data, false, false);
          if (answer != null && answer.status() == 101) {
            vertx.cancelTimer(timer);
            open[0] = new RawWebSocket(socket);
            promise.tryComplete(new Upgrade(answer, open[0]));
            open[0].receive(received.getBuffer(end + 4, received.length()));
          } else if (answer != null) {
            vertx.cancelTimer(timer);
            promise.tryComplete(new Upgrade(answer, null));
            socket.close();
          } else if (HttpAnswer.bodyUntilClose(data, false)) {
            // A refusal whose body lasts until the connection closes: the server should close promptly.
            vertx.cancelTimer(idle[0]);
            idle[0] = vertx.setTimer(HttpSender.BODY_IDLE_MS, t -> {
              HttpAnswer partial = HttpAnswer.parse(received.getBytes(), false, true);
              promise.tryComplete(new Upgrade(new HttpAnswer(partial.status(), partial.headers(), partial.body(),
                "the answer had no length and the connection stayed open after it"), null));
              vertx.cancelTimer(timer);
              socket.close();
            });
          }
        });
        socket.closeHandler(v -> {
          vertx.cancelTimer(timer);
          vertx.cancelTimer(idle[0]);
          if (open[0] != null) {
            open[0].onEnd();
          } else {
            promise.tryComplete(new Upgrade(HttpAnswer.parse(received.getBytes(), false, true), null));
          }
        });
        socket.exceptionHandler(err -> {
          // the close handler follows
        });
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
        headers.forEach(h -> request.append(h[0]).append(": ").append(h[1]).append("\r\n"));
        socket.write(request.append("\r\n").toString());
      });
    try {
      return promise.future().await(timeoutMs + 5_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      return new Upgrade(HttpAnswer.failed("handshake did not finish: " + e), null);
    }
  }

  /** The usual handshake headers for a client offering subprotocol mcp, plus {@code extra}. */
  static List<String[]> handshake(String host, String... extra) {
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    List<String[]> headers = new java.util.ArrayList<>(List.of(new String[] {"Host", host},
      new String[] {"Upgrade", "websocket"}, new String[] {"Connection", "Upgrade"},
      new String[] {"Sec-WebSocket-Key", Base64.getEncoder().encodeToString(key)},
      new String[] {"Sec-WebSocket-Version", "13"}, new String[] {"Sec-WebSocket-Protocol", "mcp"}));
    for (int i = 0; i + 1 < extra.length; i += 2) {
      headers.add(new String[] {extra[i], extra[i + 1]});
    }
    return headers;
  }

  // ---- receiving (on the event loop) --------------------------------------------------------------------------

  private void receive(Buffer chunk) {
    pending.appendBuffer(chunk);
    while (true) {
      byte[] data = pending.getBytes();
      if (data.length < 2) {
        return;
      }
      int b0 = data[0] & 0xFF;
      int b1 = data[1] & 0xFF;
      boolean fin = (b0 & 0x80) != 0;
      int opcode = b0 & 0x0F;
      boolean masked = (b1 & 0x80) != 0;
      long length = b1 & 0x7F;
      int at = 2;
      if (length == 126) {
        if (data.length < 4) {
          return;
        }
        length = ((data[2] & 0xFF) << 8) | (data[3] & 0xFF);
        at = 4;
      } else if (length == 127) {
        if (data.length < 10) {
          return;
        }
        length = 0;
        for (int i = 2; i < 10; i++) {
          length = (length << 8) | (data[i] & 0xFF);
        }
        at = 10;
      }
      byte[] mask = null;
      if (masked) {
        if (data.length < at + 4) {
          return;
        }
        mask = java.util.Arrays.copyOfRange(data, at, at + 4);
        at += 4;
      }
      if (data.length < at + length) {
        return;
      }
      byte[] payload = java.util.Arrays.copyOfRange(data, at, (int) (at + length));
      if (mask != null) {
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i % 4];
        }
      }
      pending = pending.getBuffer((int) (at + length), pending.length());
      frame(fin, opcode, payload);
    }
  }

  private void frame(boolean fin, int opcode, byte[] payload) {
    switch (opcode) {
      case TEXT, BINARY, CONTINUATION -> {
        if (opcode != CONTINUATION) {
          message.reset();
          binaryMessage = opcode == BINARY;
        }
        message.write(payload, 0, payload.length);
        if (fin) {
          events.add(new Message(message.toString(StandardCharsets.UTF_8), binaryMessage));
          message.reset();
        }
      }
      case CLOSE -> {
        int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
        String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        events.add(new Closed(code, reason));
        ended = true;
        socket.close();
      }
      case PING -> send(true, 0, PONG, payload, true);
      default -> {
        // pong, or an opcode a server never sends
      }
    }
  }

  private void onEnd() {
    if (!ended) {
      ended = true;
      events.add(new Dropped());
    }
  }

  // ---- sending ------------------------------------------------------------------------------------------------

  /** One frame, exactly as described (rsv: the three reserved bits, 0 to 7). */
  Future<Void> send(boolean fin, int rsv, int opcode, byte[] payload, boolean mask) {
    return send(fin, rsv, opcode, payload, mask, payload.length);
  }

  /** As {@link #send}, declaring {@code declaredLength} in the header whatever the payload's length. */
  Future<Void> send(boolean fin, int rsv, int opcode, byte[] payload, boolean mask, long declaredLength) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
    out.write((fin ? 0x80 : 0) | (rsv & 7) << 4 | opcode & 0x0F);
    int maskBit = mask ? 0x80 : 0;
    if (declaredLength < 126) {
      out.write(maskBit | (int) declaredLength);
    } else if (declaredLength < 65_536) {
      out.write(maskBit | 126);
      out.write((int) (declaredLength >>> 8) & 0xFF);
      out.write((int) declaredLength & 0xFF);
    } else {
      out.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (declaredLength >>> shift) & 0xFF);
      }
    }
    byte[] body = payload.clone();
    if (mask) {
      byte[] key = new byte[4];
      ThreadLocalRandom.current().nextBytes(key);
      out.write(key, 0, 4);
      for (int i = 0; i < body.length; i++) {
        body[i] ^= key[i % 4];
      }
    }
    out.write(body, 0, body.length);
    return socket.write(Buffer.buffer(out.toByteArray()));
  }

  /** A whole message in one masked text frame. */
  void sendText(byte[] utf8) {
    send(true, 0, TEXT, utf8, true);
  }

  /** The next event, or null when none came within {@code timeoutMs}. */
  Event next(long timeoutMs) {
    try {
      return events.poll(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  boolean ended() {
    return ended;
  }

  @Override
  public void close() {
    socket.close();
  }
}
