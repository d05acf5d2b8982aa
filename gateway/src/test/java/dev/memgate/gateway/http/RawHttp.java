package dev.memgate.gateway.http;

import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Exactly the bytes a test wants on a socket, and the answer as it came: for what no HTTP client will send (a forged
 * or missing {@code Host}, a broken request line, a bad chunk size). One request per connection.
 */
public final class RawHttp {
  private static final int TIMEOUT_MS = 30_000;

  private RawHttp() {
  }

  /** The answer; status 0 when the server closed the connection without one. */
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

  /**
   * Sends the request (ISO-8859-1, so that each char is one byte) and reads one answer. The connection stays open
   * while the answer is awaited: a request that announces a body it does not send is answered only by a server that
   * does not wait for that body.
   */
  public static Answer send(int port, String request) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return read(socket.getInputStream());
    } catch (IOException e) {
      throw new IllegalStateException("raw request failed: " + e, e);
    }
  }

  /** Sends part of a request and closes the connection, as a client that gives up half-way does. */
  public static void sendAndHangUp(int port, String partial) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.getOutputStream().write(partial.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new IllegalStateException("raw request failed: " + e, e);
    }
  }

  private static Answer read(InputStream in) throws IOException {
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
    String statusLine = lines[0];
    String[] parts = statusLine.split(" ", 3);
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
    return new Answer(status, statusLine, headers, new String(body, StandardCharsets.UTF_8));
  }
}
