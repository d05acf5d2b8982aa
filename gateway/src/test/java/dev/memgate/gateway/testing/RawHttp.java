package dev.memgate.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 connection written by hand, for what ordinary clients will not send: a chosen source address on the
 * loopback range (so a test can be several clients), partial headers, a body shorter than announced, a trickle.
 * Reads wait at most ten seconds, so a server that never answers fails the test instead of hanging it.
 */
public final class RawHttp implements AutoCloseable {
  private static final int READ_TIMEOUT_MS = 10_000;

  private final Socket socket;

  private RawHttp(Socket socket) {
    this.socket = socket;
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

  /** Writes text as it is (false when the connection is already gone). */
  public boolean write(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
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
    String head = readHead();
    if (head == null) {
      return -1;
    }
    drainBody(head);
    return Integer.parseInt(head.substring(9, 12));
  }

  /** The status line and headers of the next answer, or null when the connection ends first. */
  public String readHead() {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try {
      InputStream in = socket.getInputStream();
      int b;
      while ((b = in.read()) != -1) {
        head.write(b);
        if (head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
          return head.toString(StandardCharsets.ISO_8859_1);
        }
      }
      return null;
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no answer within " + READ_TIMEOUT_MS + " ms", e);
    } catch (SocketException reset) {
      return null;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads the body the head announced with Content-Length, and returns it. */
  public String drainBody(String head) {
    int length = 0;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    try {
      return new String(socket.getInputStream().readNBytes(length), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
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
