package dev.memgate.gateway.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP pass-through on loopback to a real server, which a test can cut (every connection closed, nothing accepted)
 * and restore on the same port: a dependency going away and coming back, for this test's service only, while the
 * server itself keeps serving everyone else.
 */
final class TcpForwarder implements AutoCloseable {
  private final int targetPort;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final int port;
  private volatile ServerSocket listener;

  TcpForwarder(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.port = listen(0);
  }

  int port() {
    return port;
  }

  /** Closes every connection and stops accepting: connecting now fails at once. */
  synchronized void cut() throws IOException {
    listener.close();
    for (Socket socket : open) {
      socket.close();
    }
    open.clear();
  }

  /** Accepts and forwards again, on the same port. */
  synchronized void restore() throws IOException {
    listen(port);
  }

  private int listen(int onPort) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
    listener = server;
    Thread.ofVirtual().start(() -> {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
          open.add(client);
          open.add(upstream);
          pipe(client, upstream);
          pipe(upstream, client);
        } catch (IOException closed) {
          return;
        }
      }
    });
    return server.getLocalPort();
  }

  private void pipe(Socket from, Socket to) {
    Thread.ofVirtual().start(() -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException ignored) {
        // one side closed
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException ignored) {
          // already closed
        }
      }
    });
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
