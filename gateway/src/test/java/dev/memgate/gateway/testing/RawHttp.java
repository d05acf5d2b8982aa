package dev.memgate.gateway.testing;

import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection written by hand, for what ordinary clients will not send: a forged or missing
 * {@code Host}, a broken request line, a bad chunk size, a chosen source address on the loopback range (so a test
 * can be several clients), partial headers, a body shorter than announced, a trickle. Text is written as
 * ISO-8859-1, one byte per char. Reads wait at most thirty seconds, so a server that never answers fails the test
 * instead of hanging it.
 */
public final class RawHttp implements AutoCloseable {
  private static final int READ_TIMEOUT_MS = 30_000;

  private final Socket socket;

  private RawHttp(Socket socket) {
    this.socket = socket;
  }

  /** An answer; status 0 when the server closed the connection without one. */
  public record Answer(int status, String statusLine, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public JsonObject json() {
      return new JsonObject(body);
    }

    @Override
    public String toString() {
      return statusLine + " " + headers + " " + body;
    }
  }

  /** Connects to 127.0.0.1:{@code port} from {@code sourceAddress} (any 127.x.y.z address). */
  public static RawHttp connect(int port, String sourceAddress) {
    try {
      Socket socket = new Socket();
      socket.bind(new InetSocketAddress(InetAddress.getByName(sourceAddress), 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(READ_TIMEOUT_MS);
      return new RawHttp(socket);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends the request on a connection of its own and reads one answer. The connection stays open while the answer
   * is awaited: a request that announces a body it does not send is answered only by a server that does not wait
   * for that body.
   */
  public static Answer send(int port, String request) {
    try (RawHttp connection = connect(port, "127.0.0.1")) {
      if (!connection.write(request)) {
        throw new IllegalStateException("raw request failed: the connection was closed before it was sent");
      }
      return connection.readAnswer();
    }
  }

  /** Sends part of a request and closes the connection, as a client that gives up half-way does. */
  public static void sendAndHangUp(int port, String partial) {
    try (RawHttp connection = connect(port, "127.0.0.1")) {
      connection.write(partial);
    }
  }

  /** Writes text as it is (false when the connection is already gone). */
  public boolean write(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return true;
    } catch (IOException gone) {
      return false;
    }
  }

  /** Sends {@code GET path} and returns the answer's status code, or -1 when the connection was closed instead. */
  public int get(String path) {
    if (!write("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")) {
      return -1;
    }
    int status = readAnswer().status();
    return status == 0 ? -1 : status;
  }

  /** The next answer with its Content-Length body; status 0 when the connection ends (or is reset) first. */
  public Answer readAnswer() {
    try {
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      try {
        while (matched < 4) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          head.write(b);
          matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
      } catch (SocketException reset) {
        // a connection reset before any answer counts as no answer
      }
      if (head.size() == 0) {
        return new Answer(0, "", Map.of(), "");
      }
      String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
      String[] parts = lines[0].split(" ", 3);
      int status = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.putIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).strip());
        }
      }
      String length = headers.get("content-length");
      byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
      return new Answer(status, lines[0], headers, new String(body, StandardCharsets.UTF_8));
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no answer within " + READ_TIMEOUT_MS + " ms", e);
    } catch (IOException e) {
      throw new IllegalStateException("raw request failed: " + e, e);
    }
  }

  /** True once the server has closed the connection: a read ends (or is reset) within the read timeout. */
  public boolean closedByServer() {
    try {
      InputStream in = socket.getInputStream();
      while (in.read() != -1) {
        // whatever was still on its way
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
