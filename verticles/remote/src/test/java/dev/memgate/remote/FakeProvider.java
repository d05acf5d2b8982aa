package dev.memgate.remote;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * A model provider on a real loopback HTTP port, answering what a test scripts, one answer per request, then 200
 * with a small JSON body once the script is used up. It notes when each request arrived, so that a test can see
 * how many attempts were made and how long the guard paused between them. Not a stand-in for any Memgate class:
 * it plays the remote side that {@link ProviderGuard} protects us from.
 */
final class FakeProvider {
  /** One scripted answer; {@code retryAfter} may be a delay in seconds, an HTTP-date or anything a server sends. */
  record Answer(int status, String retryAfter, String body, boolean silent) {
  }

  static Answer status(int status) {
    return new Answer(status, null, "{\"error\":{\"message\":\"scripted " + status + "\"}}", false);
  }

  static Answer status(int status, String retryAfter) {
    return new Answer(status, retryAfter, "{\"error\":{\"message\":\"scripted " + status + "\"}}", false);
  }

  /** Retry-After as an HTTP-date this many seconds after the moment of answering. */
  static Answer statusRetryingAtDateIn(int status, int seconds) {
    return new Answer(status, "DATE+" + seconds, "{}", false);
  }

  static Answer notJson() {
    return new Answer(200, null, "<html>gateway says hello</html>", false);
  }

  /** Reads the request and never answers. */
  static Answer silent() {
    return new Answer(0, null, null, true);
  }

  private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
  private final List<Long> arrivalsNanos = new CopyOnWriteArrayList<>();
  private HttpServer server;

  Future<FakeProvider> start(Vertx vertx) {
    return vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1").map(listening -> {
      server = listening;
      return this;
    });
  }

  /** Appends answers to the script. */
  FakeProvider then(Answer... answers) {
    script.addAll(List.of(answers));
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1/chat";
  }

  int requests() {
    return arrivalsNanos.size();
  }

  /** Milliseconds between the arrival of request {@code i} (from 0) and of the one before it. */
  long pauseBeforeMs(int i) {
    return TimeUnit.NANOSECONDS.toMillis(arrivalsNanos.get(i) - arrivalsNanos.get(i - 1));
  }

  /**
   * One attempt as the providers make it: a POST whose reply must come within the time the guard gives the attempt
   * (or {@code idleCapMs}, when shorter), read by {@link HttpOutcome}.
   */
  LongFunction<Future<JsonObject>> attempt(WebClient client, long idleCapMs) {
    return left -> client.postAbs(url()).timeout(Math.min(left, idleCapMs))
      .sendJsonObject(new JsonObject().put("prompt", "hello"))
      .compose(HttpOutcome::json);
  }

  private void answer(HttpServerRequest request) {
    arrivalsNanos.add(System.nanoTime());
    Answer answer = script.poll();
    if (answer == null) {
      request.response().putHeader("Content-Type", "application/json").end("{\"answer\":\"fine\"}");
      return;
    }
    if (answer.silent()) {
      return;
    }
    if (answer.retryAfter() != null) {
      request.response().putHeader("Retry-After", retryAfter(answer.retryAfter()));
    }
    request.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json")
      .end(answer.body());
  }

  private static String retryAfter(String scripted) {
    if (scripted.startsWith("DATE+")) {
      return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)
        .plusSeconds(Long.parseLong(scripted.substring(5))));
    }
    return scripted;
  }
}
