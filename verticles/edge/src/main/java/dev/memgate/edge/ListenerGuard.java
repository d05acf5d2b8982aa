package dev.memgate.edge;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a listener does for every connection before its router sees a request: counts it against the process's
 * {@link ConnectionBudget} (and closes it at once when the process or its client address is at the limit), and
 * closes connections that hold a descriptor without making progress:
 * <ul>
 *   <li>a new connection that has not sent a request's headers within {@code header_timeout_ms} (slow or idle
 *       sockets opened to exhaust descriptors);</li>
 *   <li>a request whose body has not arrived within {@code body_timeout_ms} of its headers: it is answered 408 and
 *       its connection closed;</li>
 *   <li>a kept-alive connection that has not started another request within {@code idle_timeout_seconds} of the
 *       last answer, even if it trickles bytes.</li>
 * </ul>
 * Requests in progress (a long inferred add, an event stream) and WebSocket connections are never timed out here:
 * event streams send keep-alives and WebSockets pings, whose writes fail once a peer is gone. Vert.x's own idle
 * timeout is not used, because it would also end a quiet event stream and cannot tell a trickle from progress.
 *
 * <p>One guard per server instance: its state is confined to that instance's event loop, which a periodic check
 * also runs on.
 */
public final class ListenerGuard {
  /** How a listener answers a request it refuses, in its own error format. */
  @FunctionalInterface
  public interface Refusal {
    void send(HttpServerResponse response, int status, String message);
  }

  private final Vertx vertx;
  private final String surface;
  private final EdgeLimits limits;
  private final ConnectionBudget budget;
  private final Refusal refusal;
  private final Map<HttpConnection, Tracked> connections = new HashMap<>();
  private long checkTimer = -1;
  private Handler<HttpConnection> alsoOnConnection = connection -> { };

  /** @param surface "rest" or "mcp", for the refusal log */
  public ListenerGuard(Vertx vertx, String surface, EdgeLimits limits, Refusal refusal) {
    this.vertx = vertx;
    this.surface = surface;
    this.budget = ConnectionBudget.of(vertx, limits);
    this.limits = limits.resolved();
    this.refusal = refusal;
  }

  /**
   * The server options the guard needs: no cleartext HTTP/2 upgrade. With it, Vert.x holds a new connection back
   * until it has read a whole request (to see whether it asks for h2c), so a socket that never finishes its
   * headers would never be seen, counted or timed out. HTTP/2 stays available over TLS (ALPN).
   */
  public static HttpServerOptions configure(HttpServerOptions options) {
    return options.setHttp2ClearTextEnabled(false);
  }

  /**
   * Something else the listener does with each accepted connection (Vert.x keeps one connection handler per
   * server, which the guard takes); runs after the connection is counted, never for one closed over the budget.
   */
  public ListenerGuard alsoOnConnection(Handler<HttpConnection> handler) {
    this.alsoOnConnection = handler;
    return this;
  }

  /** Installs the guard on a server (before it listens), in front of {@code next}. */
  public HttpServer attach(HttpServer server, Handler<HttpServerRequest> next) {
    server.connectionHandler(this::opened);
    server.requestHandler(request -> {
      Tracked tracked = connections.get(request.connection());
      if (tracked != null) {
        tracked.started(request, now());
      }
      next.handle(request);
    });
    long every = Math.max(50, Math.min(1_000, Math.min(limits.headerTimeoutMs(), limits.bodyTimeoutMs()) / 4));
    checkTimer = vertx.setPeriodic(every, id -> check());
    return server;
  }

  /** Stops the periodic check (the server's own close ends its connections). */
  public void stop() {
    if (checkTimer != -1) {
      vertx.cancelTimer(checkTimer);
      checkTimer = -1;
    }
  }

  private void opened(HttpConnection connection) {
    String address = addressOf(connection.remoteAddress());
    String refused = budget.tryOpen(address);
    if (refused != null) {
      RefusalLog.shared().refused(surface, address, "connection", 0, "closed at once: " + refused);
      connection.close();
      return;
    }
    connections.put(connection, new Tracked(address, now()));
    alsoOnConnection.handle(connection);
    connection.closeHandler(closed -> {
      if (connections.remove(connection) != null) {
        budget.release(address);
      }
    });
  }

  private void check() {
    long now = now();
    List<HttpConnection> expired = new ArrayList<>();
    connections.forEach((connection, tracked) -> {
      String reason = tracked.overdue(now, limits);
      if (reason != null) {
        expired.add(connection);
        budget.countTimeout();
        RefusalLog.shared().refused(surface, tracked.address, "connection", 408, reason);
        tracked.answerUnfinished(refusal);
      }
    });
    expired.forEach(HttpConnection::close);
  }

  private static String addressOf(SocketAddress remote) {
    if (remote == null) {
      return "unknown";
    }
    String host = remote.hostAddress();
    return host != null ? host : String.valueOf(remote.path());
  }

  private static long now() {
    return System.nanoTime() / 1_000_000;
  }

  /** One connection's progress. */
  private static final class Tracked {
    private final String address;
    private final long openedAt;
    private final List<Request> requests = new ArrayList<>(1);
    private boolean servedOne;
    /** When the connection last had no request in progress. */
    private long waitingSince;
    private boolean upgraded;

    Tracked(String address, long now) {
      this.address = address;
      this.openedAt = now;
      this.waitingSince = now;
    }

    void started(HttpServerRequest request, long now) {
      requests.add(new Request(request, now));
      if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
        // The socket's own life (pings, closes) governs it from here on.
        upgraded = true;
      }
    }

    /** Why this connection must close now, or null. */
    String overdue(long now, EdgeLimits limits) {
      if (upgraded) {
        return null;
      }
      boolean hadRequests = !requests.isEmpty();
      requests.removeIf(r -> r.request.response().ended() || r.request.response().closed());
      if (hadRequests && requests.isEmpty()) {
        servedOne = true;
        waitingSince = now;
      }
      if (requests.isEmpty()) {
        if (!servedOne && now - openedAt > limits.headerTimeoutMs()) {
          return "no request headers within " + limits.headerTimeoutMs() + " ms (edge.header_timeout_ms)";
        }
        if (servedOne && now - waitingSince > limits.idleTimeoutSeconds() * 1_000L) {
          return "no new request within " + limits.idleTimeoutSeconds() + " s (edge.idle_timeout_seconds)";
        }
        return null;
      }
      for (Request r : requests) {
        if (!r.request.isEnded() && now - r.startedAt > limits.bodyTimeoutMs()) {
          return "request body not received within " + limits.bodyTimeoutMs() + " ms (edge.body_timeout_ms)";
        }
      }
      return null;
    }

    /** Answers 408 to requests still waiting for their body, where nothing has been sent yet. */
    void answerUnfinished(Refusal refusal) {
      for (Request r : requests) {
        HttpServerResponse response = r.request.response();
        if (!r.request.isEnded() && !response.headWritten() && !response.closed()) {
          if (r.request.version() != HttpVersion.HTTP_2) {
            response.putHeader("Connection", "close");
          }
          refusal.send(response, 408, "the request body did not arrive in time (edge.body_timeout_ms)");
        }
      }
    }
  }

  private record Request(HttpServerRequest request, long startedAt) {
  }
}
