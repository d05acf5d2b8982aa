package dev.memgate.gateway.fuzz;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.util.concurrent.TimeUnit;

/**
 * Sends {@link HttpCase}s: HTTP/1.1 as raw bytes on a fresh TCP connection (so that nothing between the fuzzer and
 * the server tidies a broken request up). Answers are awaited
 * for a bounded time; a missing answer is an answer too (see {@link HttpAnswer#failure}).
 */
final class HttpSender implements AutoCloseable {
  /** How long a body that lasts until the connection closes may pause before the wait ends. */
  static final long BODY_IDLE_MS = 1_000;

  private final Vertx vertx;
  private final NetClient tcp;
  private final long timeoutMs;

  HttpSender(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.tcp = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5_000));
  }

  /** Sends the case to 127.0.0.1:{@code port} and waits for its answer. */
  HttpAnswer exchange(int port, HttpCase request) {
    long wait = request.answerOptional() ? 1_000 : timeoutMs;
    Future<HttpAnswer> answer = sendRaw(port, request.wire(), request.head(), wait);
    try {
      return answer.await(wait + 5_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      return HttpAnswer.failed("no answer within " + (timeoutMs / 1000) + " s");
    }
  }

  Future<HttpAnswer> sendRaw(int port, byte[] bytes, boolean head, long timeoutMs) {
    Promise<HttpAnswer> promise = Promise.promise();
    tcp.connect(port, "127.0.0.1").onFailure(err -> promise.tryComplete(HttpAnswer.failed("connect failed: " + err)))
      .onSuccess(socket -> {
        Buffer received = Buffer.buffer();
        long timer = vertx.setTimer(timeoutMs, t -> {
          HttpAnswer partial = HttpAnswer.parse(received.getBytes(), head, true);
          promise.tryComplete(new HttpAnswer(partial.status(), partial.headers(), partial.body(),
            "no complete answer within " + (timeoutMs / 1000) + " s (got "
              + Excerpts.of(received.toString(java.nio.charset.StandardCharsets.ISO_8859_1), 200) + ")"));
          socket.close();
        });
        long[] idle = {-1};
        socket.handler(chunk -> {
          received.appendBuffer(chunk);
          byte[] data = received.getBytes();
          HttpAnswer done = HttpAnswer.parse(data, head, false);
          if (done != null) {
            vertx.cancelTimer(timer);
            promise.tryComplete(done);
            socket.close();
          } else if (HttpAnswer.bodyUntilClose(data, head)) {
            // Headers are in, and the body lasts until the server closes: it should do so promptly.
            vertx.cancelTimer(idle[0]);
            idle[0] = vertx.setTimer(BODY_IDLE_MS, t -> {
              HttpAnswer partial = HttpAnswer.parse(received.getBytes(), head, true);
              promise.tryComplete(new HttpAnswer(partial.status(), partial.headers(), partial.body(),
                "the answer had no length and the connection stayed open after it"));
              vertx.cancelTimer(timer);
              socket.close();
            });
          }
        });
        socket.closeHandler(v -> {
          vertx.cancelTimer(timer);
          vertx.cancelTimer(idle[0]);
          promise.tryComplete(HttpAnswer.parse(received.getBytes(), head, true));
        });
        socket.exceptionHandler(err -> {
          // a reset after the server answered and closed: the close handler reads what arrived
        });
        socket.write(Buffer.buffer(bytes));
      });
    return promise.future();
  }

  @Override
  public void close() {
    tcp.close();
  }
}
