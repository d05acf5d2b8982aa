package dev.memgate.bench.startup;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A launch over HTTP, as a client that starts the service and then uses it sees it: from the launch to the first
 * {@code GET /health} answered 200 with status UP (everything started), and, independently and at the same time,
 * from the launch to the first {@code POST /search} answered 200 (the first request that needs the embedding
 * model). Both are retried while the port is closed or the answer is not yet 200; the resident memory is read
 * as soon as the service is UP.
 */
final class HttpStartupProbe {
  /** How often a closed port is tried again: the figures are this precise. */
  private static final long CONNECT_RETRY_MS = 5;
  /** How often a not-yet-UP health is asked again: often enough, without taking a core from the start. */
  private static final long HEALTH_RETRY_MS = 20;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(2)).build();

  /** What one launch measured. */
  record Timings(double readyMs, double firstAnswerMs, long residentAtReadyBytes) {
  }

  Timings measure(ChildService service, String user, String query, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<Double> search = CompletableFuture.supplyAsync(() -> firstSearch(service, user, query,
      deadline), runnable -> Thread.ofVirtual().name("startup-search").start(runnable));
    double ready = firstHealthUp(service, deadline);
    long resident = service.residentBytes();
    try {
      double answered = search.get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
      return new Timings(ready, answered, resident);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no search was answered within " + timeout.toSeconds() + " s; log:\n"
        + service.logTail());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  private double firstHealthUp(ChildService service, long deadline) {
    HttpRequest request = HttpRequest.newBuilder(uri(service, "/health")).timeout(Duration.ofSeconds(10)).GET()
      .build();
    while (true) {
      try {
        HttpResponse<String> reply = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() == 200 && "UP".equals(new JsonObject(reply.body()).getString("status"))) {
          return service.elapsedMs();
        }
        pause(HEALTH_RETRY_MS);
      } catch (IOException notListeningYet) {
        pause(CONNECT_RETRY_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted");
      }
      check(service, deadline, "/health answered UP");
    }
  }

  private double firstSearch(ChildService service, String user, String query, long deadline) {
    HttpRequest request = HttpRequest.newBuilder(uri(service, "/search")).timeout(Duration.ofSeconds(60))
      .header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("query", query).put("user_id", user)
        .put("limit", 5).encode())).build();
    while (true) {
      try {
        HttpResponse<String> reply = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() == 200) {
          new JsonObject(reply.body()).getJsonArray("results");
          return service.elapsedMs();
        }
        if (reply.statusCode() != 503) {
          throw new IllegalStateException("the first search was answered " + reply.statusCode() + ": "
            + reply.body());
        }
        pause(HEALTH_RETRY_MS);
      } catch (IOException notListeningYet) {
        pause(CONNECT_RETRY_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted");
      }
      check(service, deadline, "a search was answered");
    }
  }

  private static void check(ChildService service, long deadline, String waitingFor) {
    service.requireAlive(waitingFor);
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("timed out before " + waitingFor + "; log:\n" + service.logTail());
    }
  }

  private static URI uri(ChildService service, String path) {
    return URI.create("http://127.0.0.1:" + service.httpPort() + path);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }
}
