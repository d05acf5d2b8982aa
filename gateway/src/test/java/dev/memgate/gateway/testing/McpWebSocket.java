package dev.memgate.gateway.testing;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket MCP client on the JDK's client: offers subprotocol {@code mcp}, sends JSON-RPC messages as text
 * frames and hands the answers over in order. Waits give up after a minute, so a silent server fails the test.
 */
public final class McpWebSocket implements AutoCloseable {
  private final WebSocket socket;
  private final BlockingQueue<String> incoming;
  private final CompletableFuture<Integer> closing;

  private McpWebSocket(WebSocket socket, BlockingQueue<String> incoming, CompletableFuture<Integer> closing) {
    this.socket = socket;
    this.incoming = incoming;
    this.closing = closing;
  }

  /** Connects; a refused handshake throws {@link Refused} with the HTTP status. */
  public static McpWebSocket connect(String url, Map<String, String> headers) {
    return connect(HttpClient.newHttpClient(), url, headers);
  }

  /** As {@link #connect(String, Map)}, over this client (one that trusts a test's certificate, for wss://). */
  public static McpWebSocket connect(HttpClient client, String url, Map<String, String> headers) {
    BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    StringBuilder partial = new StringBuilder();
    WebSocket.Listener listener = new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          queue.add(partial.toString());
          partial.setLength(0);
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        closed.complete(-1);
      }
    };
    WebSocket.Builder builder = client.newWebSocketBuilder().subprotocols("mcp");
    headers.forEach(builder::header);
    try {
      WebSocket socket = builder.buildAsync(URI.create(url), listener).get(30, TimeUnit.SECONDS);
      return new McpWebSocket(socket, queue, closed);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        throw new Refused(refused.getResponse().statusCode());
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A handshake the server refused. */
  public static final class Refused extends RuntimeException {
    private final int status;

    Refused(int status) {
      super("handshake refused with HTTP " + status);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  public String subprotocol() {
    return socket.getSubprotocol();
  }

  public void sendText(String text) {
    socket.sendText(text, true).join();
  }

  /** Sends one message split over several frames. */
  public void sendFragmented(String... parts) {
    for (int i = 0; i < parts.length; i++) {
      socket.sendText(parts[i], i == parts.length - 1).join();
    }
  }

  public void sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  /** Sends a request and returns the next message (this client sends one request at a time). */
  public JsonObject call(JsonObject request) {
    sendText(request.encode());
    return new JsonObject(next());
  }

  public String next() {
    try {
      String message = incoming.poll(60, TimeUnit.SECONDS);
      if (message == null) {
        throw new AssertionError("no message arrived within a minute");
      }
      return message;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The close code the server sent (or -1 when the connection broke without one). */
  public int awaitClose() {
    try {
      return closing.get(60, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException | CompletionException e) {
      throw new AssertionError("the server did not close the socket: " + e);
    }
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
    socket.abort();
  }
}
