package dev.memgate.gateway.mcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A client written by hand on a plain socket, so that a test can do what no library client does: send WebSocket
 * frames with reserved bits or invalid UTF-8, declare sizes over the limit, pipeline HTTP requests, write without
 * ever reading, forge a Host header, and see exactly what the server sends back (a close code, a status line). The
 * WebSocket handshake is written by hand too (any subprotocols, any headers). Every wait is bounded by a selector
 * timeout; nothing sleeps.
 */
final class RawSocket implements AutoCloseable {
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  /** One frame from the server: opcode, final flag and payload. */
  record Frame(int opcode, boolean fin, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The close code of a close frame (1005 when it carries none). */
    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
    }
  }

  /** The server's answer to the upgrade request. */
  record Handshake(int status, Map<String, String> headers) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SocketChannel channel;
  private final Selector selector;
  private final ByteBuffer inbound = ByteBuffer.allocate(4 << 20);
  private ByteBuffer pending = ByteBuffer.allocate(0);
  private Handshake handshake;

  private RawSocket(SocketChannel channel) throws IOException {
    this.channel = channel;
    this.selector = Selector.open();
    channel.configureBlocking(false);
    channel.register(selector, 0);
    inbound.flip();
  }

  /**
   * Connects, and nothing else.
   *
   * @param bufferBytes the socket's send and receive buffers in bytes, small for a client that means not to read;
   *                    0 for the system's defaults
   */
  static RawSocket plain(int port, int bufferBytes) {
    try {
      SocketChannel channel = SocketChannel.open();
      if (bufferBytes > 0) {
        channel.setOption(StandardSocketOptions.SO_RCVBUF, bufferBytes);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, bufferBytes);
      }
      channel.connect(new InetSocketAddress("127.0.0.1", port));
      return new RawSocket(channel);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The status line and headers of an HTTP response (its body is left to read). */
  Handshake readResponseHead(long timeoutMs) {
    try {
      return readHandshake(timeoutMs, false);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Connects and sends the upgrade request; {@link #handshake()} tells how the server answered.
   *
   * @param receiveBuffer the socket's receive buffer in bytes, small for a client that means not to read; 0 for the
   *                      system's default
   */
  static RawSocket open(int port, String path, Map<String, String> headers, int receiveBuffer) {
    try {
      RawSocket socket = plain(port, receiveBuffer);
      Map<String, String> all = new LinkedHashMap<>();
      all.put("Host", "127.0.0.1:" + port);
      all.put("Upgrade", "websocket");
      all.put("Connection", "Upgrade");
      byte[] key = new byte[16];
      RANDOM.nextBytes(key);
      all.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(key));
      all.put("Sec-WebSocket-Version", "13");
      all.putAll(headers);
      StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
      all.forEach((name, value) -> {
        if (value != null) {
          request.append(name).append(": ").append(value).append("\r\n");
        }
      });
      request.append("\r\n");
      socket.write(request.toString().getBytes(StandardCharsets.US_ASCII), 10_000);
      socket.handshake = socket.readHandshake(30_000, true);
      return socket;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Opens with subprotocol mcp offered and expects the upgrade to succeed. */
  static RawSocket connect(int port, String path, int receiveBuffer) {
    RawSocket socket = open(port, path, Map.of("Sec-WebSocket-Protocol", "mcp"), receiveBuffer);
    if (socket.handshake().status() != 101) {
      throw new IllegalStateException("upgrade refused: " + socket.handshake());
    }
    return socket;
  }

  Handshake handshake() {
    return handshake;
  }

  private Handshake readHandshake(long timeoutMs, boolean skipBody) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (true) {
      byte b = readByte(timeoutMs);
      head.write(b);
      byte[] so = head.toByteArray();
      int n = so.length;
      if (n >= 4 && so[n - 4] == '\r' && so[n - 3] == '\n' && so[n - 2] == '\r' && so[n - 1] == '\n') {
        break;
      }
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).strip());
      }
    }
    if (skipBody && headers.containsKey("content-length")) {
      readBody(Integer.parseInt(headers.get("content-length")), timeoutMs);
    }
    return new Handshake(status, headers);
  }

  /** Reads exactly {@code length} bytes of a body. */
  byte[] readBody(int length, long timeoutMs) {
    try {
      byte[] body = new byte[length];
      for (int i = 0; i < length; i++) {
        body[i] = readByte(timeoutMs);
      }
      return body;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client frame: masked, as RFC 6455 requires of clients; {@code rsv} are the three reserved bits (0-7). */
  static byte[] frame(int opcode, boolean fin, int rsv, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
    out.write((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | opcode);
    if (payload.length < 126) {
      out.write(0x80 | payload.length);
    } else if (payload.length < 65_536) {
      out.write(0x80 | 126);
      out.write(payload.length >>> 8);
      out.write(payload.length & 0xFF);
    } else {
      out.write(0x80 | 127);
      long length = payload.length;
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (length >>> shift) & 0xFF);
      }
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    out.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    return out.toByteArray();
  }

  static byte[] textFrame(String text) {
    return frame(TEXT, true, 0, text.getBytes(StandardCharsets.UTF_8));
  }

  void send(byte[] frame) {
    try {
      if (!write(frame, 30_000)) {
        throw new IllegalStateException("the server did not take a frame within 30 s");
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  void sendText(String text) {
    send(textFrame(text));
  }

  /**
   * Writes bytes, waiting at most {@code timeoutMs} for the socket to take them; false when it would not (what is
   * left stays pending and goes first on the next write). This is how a test sees the server stop reading.
   *
   * @throws IOException when the connection is gone
   */
  boolean write(byte[] bytes, long timeoutMs) throws IOException {
    append(bytes);
    return flush(timeoutMs);
  }

  /** Queues bytes to go out with the next flush. */
  void append(byte[] bytes) {
    ByteBuffer next = ByteBuffer.allocate(pending.remaining() + bytes.length);
    next.put(pending).put(bytes).flip();
    pending = next;
  }

  /** Bytes written but not yet taken by the socket. */
  int pendingBytes() {
    return pending.remaining();
  }

  /** Writes what is pending; false when the socket did not take it all within {@code timeoutMs}. */
  boolean flush(long timeoutMs) throws IOException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    SelectionKey key = channel.keyFor(selector);
    while (pending.hasRemaining()) {
      channel.write(pending);
      if (!pending.hasRemaining()) {
        break;
      }
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      key.interestOps(SelectionKey.OP_WRITE);
      selector.select(left);
      selector.selectedKeys().clear();
    }
    return true;
  }

  private byte readByte(long timeoutMs) throws IOException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (!inbound.hasRemaining()) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0 || !readMore(left)) {
        throw new IOException("no data within " + timeoutMs + " ms");
      }
    }
    return inbound.get();
  }

  /** Reads what has arrived, waiting at most {@code timeoutMs} for something; false on timeout or end of stream. */
  private boolean readMore(long timeoutMs) throws IOException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    SelectionKey key = channel.keyFor(selector);
    while (true) {
      inbound.compact();
      int read;
      try {
        read = channel.read(inbound);
      } finally {
        inbound.flip();
      }
      if (read < 0) {
        return false;
      }
      if (read > 0) {
        return true;
      }
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      key.interestOps(SelectionKey.OP_READ);
      selector.select(left);
      selector.selectedKeys().clear();
    }
  }

  /** The next frame from the server, or null when none came in time or the connection ended first. */
  Frame readFrame(long timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    try {
      while (true) {
        Frame frame = parseFrame();
        if (frame != null) {
          return frame;
        }
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0 || !readMore(left)) {
          return null;
        }
      }
    } catch (IOException e) {
      return null;
    }
  }

  /** A whole frame from the buffer, or null (consuming nothing) while only part of one has arrived. */
  private Frame parseFrame() {
    int at = inbound.position();
    int available = inbound.remaining();
    if (available < 2) {
      return null;
    }
    int first = inbound.get(at) & 0xFF;
    long length = inbound.get(at + 1) & 0x7F;
    int header = 2;
    if (length == 126) {
      if (available < 4) {
        return null;
      }
      length = inbound.getShort(at + 2) & 0xFFFF;
      header = 4;
    } else if (length == 127) {
      if (available < 10) {
        return null;
      }
      length = inbound.getLong(at + 2);
      header = 10;
    }
    if (available < header + length) {
      return null;
    }
    byte[] payload = new byte[(int) length];
    inbound.position(at + header);
    inbound.get(payload);
    return new Frame(first & 0x0F, (first & 0x80) != 0, payload);
  }

  /** The next text message, skipping control frames. */
  String nextText(long timeoutMs) {
    while (true) {
      Frame frame = readFrame(timeoutMs);
      if (frame == null) {
        throw new AssertionError("the connection ended before a text message arrived");
      }
      if (frame.opcode() == TEXT) {
        return frame.text();
      }
      if (frame.opcode() == CLOSE) {
        throw new AssertionError("closed with " + frame.closeCode() + " before a text message arrived");
      }
    }
  }

  /** Reads until the server's close frame and returns its code; -1 when the connection ended without one. */
  int awaitClose(long timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        throw new AssertionError("the server did not close the connection within " + timeoutMs + " ms");
      }
      Frame frame = readFrame(left);
      if (frame == null) {
        return -1;
      }
      if (frame.opcode() == CLOSE) {
        return frame.closeCode();
      }
    }
  }

  /**
   * Reads (and drops) whatever still comes until the connection ends; true when it ended within the time, false
   * when it was still open then.
   */
  boolean endsWithin(long timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    try {
      while (true) {
        inbound.position(inbound.limit());
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return false;
        }
        if (!readMore(left)) {
          return System.nanoTime() < deadline;
        }
      }
    } catch (IOException reset) {
      return true;
    }
  }

  @Override
  public void close() {
    try {
      selector.close();
      channel.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
