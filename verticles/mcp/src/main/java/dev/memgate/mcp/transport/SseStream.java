package dev.memgate.mcp.transport;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

/**
 * A server-sent events response: {@code event:}/{@code data:} records, and a comment every so often so that idle
 * proxies keep the stream open and a vanished client is noticed (the write fails and the stream closes).
 * JSON-RPC messages are encoded on one line, so each is exactly one {@code data:} line.
 *
 * <p>A standing stream can watch its client keep up ({@link #watch}): its write queue is bounded, keep-alives are
 * skipped while it is full, and a queue that stays full too long is reported, so that the transport can let the
 * client go instead of buffering for it without limit.
 */
final class SseStream {
  private static final long KEEP_ALIVE_MS = 15_000;

  private final Vertx vertx;
  private final HttpServerResponse response;
  private long keepAliveTimer = -1;
  private WriteLimits limits;
  private Runnable tooSlow;
  private long slowClientTimer = -1;

  SseStream(Vertx vertx, HttpServerResponse response) {
    this.vertx = vertx;
    this.response = response;
  }

  /** Sends the headers; with {@code keepAlive}, comments follow every 15 s until the stream ends. */
  SseStream start(boolean keepAlive) {
    response.setStatusCode(200)
      .setChunked(true)
      .putHeader("Content-Type", "text/event-stream")
      .putHeader("Cache-Control", "no-cache, no-transform")
      .putHeader("X-Accel-Buffering", "no");
    response.writeHead();
    if (keepAlive) {
      keepAliveTimer = vertx.setPeriodic(KEEP_ALIVE_MS, id -> {
        if (open() && !full()) {
          response.write(": keep-alive\n\n");
        }
      });
    }
    return this;
  }

  /**
   * Bounds the write queue to {@code limits.maxQueuedBytes()} and runs {@code tooSlow} once when it has stayed full
   * for {@code limits.slowClientMillis()}.
   */
  SseStream watch(WriteLimits limits, Runnable tooSlow) {
    this.limits = limits;
    this.tooSlow = tooSlow;
    response.setWriteQueueMaxSize(limits.maxQueuedBytes());
    response.drainHandler(v -> stopSlowClientTimer());
    return this;
  }

  void event(String name, String data) {
    if (!open()) {
      return;
    }
    response.write("event: " + name + "\ndata: " + data + "\n\n");
    if (limits != null && slowClientTimer == -1 && full()) {
      slowClientTimer = vertx.setTimer(limits.slowClientMillis(), id -> {
        slowClientTimer = -1;
        if (full()) {
          tooSlow.run();
        }
      });
    }
  }

  boolean open() {
    return !response.ended() && !response.closed();
  }

  /** True while more is queued for the client than it may have: send it nothing more that can wait. */
  boolean full() {
    return open() && response.writeQueueFull();
  }

  void end() {
    stopTimers();
    if (open()) {
      response.end();
    }
  }

  /** For a stream that is over: no more keep-alives, no more watching. */
  void stopTimers() {
    if (keepAliveTimer != -1) {
      vertx.cancelTimer(keepAliveTimer);
      keepAliveTimer = -1;
    }
    stopSlowClientTimer();
  }

  private void stopSlowClientTimer() {
    if (slowClientTimer != -1) {
      vertx.cancelTimer(slowClientTimer);
      slowClientTimer = -1;
    }
  }
}
