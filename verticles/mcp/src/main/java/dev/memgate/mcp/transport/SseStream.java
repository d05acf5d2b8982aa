package dev.memgate.mcp.transport;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

/**
 * A server-sent events response: {@code event:}/{@code data:} records, and a comment every so often so that idle
 * proxies keep the stream open and a vanished client is noticed (the write fails and the stream closes).
 * JSON-RPC messages are encoded on one line, so each is exactly one {@code data:} line.
 */
final class SseStream {
  private static final long KEEP_ALIVE_MS = 15_000;

  private final Vertx vertx;
  private final HttpServerResponse response;
  private long keepAliveTimer = -1;

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
        if (open()) {
          response.write(": keep-alive\n\n");
        }
      });
    }
    return this;
  }

  void event(String name, String data) {
    if (open()) {
      response.write("event: " + name + "\ndata: " + data + "\n\n");
    }
  }

  boolean open() {
    return !response.ended() && !response.closed();
  }

  void end() {
    stopKeepAlive();
    if (open()) {
      response.end();
    }
  }

  void stopKeepAlive() {
    if (keepAliveTimer != -1) {
      vertx.cancelTimer(keepAliveTimer);
      keepAliveTimer = -1;
    }
  }
}
