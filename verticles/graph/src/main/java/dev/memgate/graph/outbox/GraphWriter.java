package dev.memgate.graph.outbox;

import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.Timestamps;
import dev.memgate.contract.UpstreamText;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Applies the outbox's entries to the store one at a time, in order, on the verticle's event loop. A caller waits
 * for its own entry while the store keeps up; while the store is away (or a long backlog is being replayed) it gets
 * its "pending" answer as soon as the entry is durable. An entry that finds the store away is retried with
 * exponential back-off until the store is back; an entry the store keeps refusing for another reason is set aside
 * under {@code failed/} after a few attempts, kept rather than lost, so that it cannot block the others.
 */
public final class GraphWriter {
  private static final Logger LOG = LoggerFactory.getLogger(GraphWriter.class);
  private static final int MAX_FAILED_ATTEMPTS = 3;
  /** Callers queued behind this many entries get "pending" at once rather than wait for the backlog. */
  private static final int MAX_WAIT_BEHIND = 8;
  private static final long MAX_CALLER_WAIT_MS = 8_000;

  /** What applies one entry; {@code attempt} counts from 1. */
  public interface Applier {
    Future<JsonObject> apply(JsonObject op, int attempt);
  }

  private final Vertx vertx;
  private final Outbox outbox;
  private final Applier applier;
  private final long retryMinMs;
  private final long retryMaxMs;
  private final Deque<Queued> queue = new ArrayDeque<>();
  private boolean applying;
  private boolean away;
  private long retryMs;
  private long retryTimer = -1;
  private long applied;
  private long setAside;
  private String lastError;

  private static final class Queued {
    final Outbox.Entry entry;
    final Promise<JsonObject> caller;
    final JsonObject pendingReply;
    int attempts;

    Queued(Outbox.Entry entry, Promise<JsonObject> caller, JsonObject pendingReply) {
      this.entry = entry;
      this.caller = caller;
      this.pendingReply = pendingReply;
    }
  }

  public GraphWriter(Vertx vertx, Outbox outbox, Applier applier, long retryMinMs, long retryMaxMs) {
    this.vertx = vertx;
    this.outbox = outbox;
    this.applier = applier;
    this.retryMinMs = retryMinMs;
    this.retryMaxMs = retryMaxMs;
    this.retryMs = retryMinMs;
  }

  /** Loads what an earlier run left in the outbox and starts replaying it. */
  public Future<Void> start() {
    return outbox.open().map(entries -> {
      entries.forEach(entry -> queue.add(new Queued(entry, null, null)));
      if (!entries.isEmpty()) {
        LOG.info("graph outbox: {} entries left by an earlier run, replaying them in order", entries.size());
      }
      drain();
      return null;
    });
  }

  /**
   * Makes the operation durable, then applies it. Completes with the applier's result, or with
   * {@code pendingReply} when the entry waits in the outbox.
   */
  public Future<JsonObject> submit(JsonObject op, JsonObject pendingReply) {
    op.put("queued_at", Timestamps.now());
    return outbox.append(op).compose(entry -> {
      Promise<JsonObject> caller = Promise.promise();
      boolean waitForIt = !away && queue.size() < MAX_WAIT_BEHIND;
      queue.add(new Queued(entry, caller, pendingReply));
      if (!waitForIt) {
        caller.tryComplete(pendingReply);
      } else {
        vertx.setTimer(MAX_CALLER_WAIT_MS, id -> caller.tryComplete(pendingReply));
      }
      drain();
      return caller.future();
    });
  }

  public int backlog() {
    return queue.size();
  }

  public boolean away() {
    return away;
  }

  public JsonObject health() {
    JsonObject health = new JsonObject()
      .put("pending", queue.size())
      .put("applied", applied)
      .put("set_aside", setAside)
      .put("directory", outbox.directory().toString());
    if (!queue.isEmpty()) {
      String oldest = queue.peekFirst().entry.op().getString("queued_at");
      health.put("oldest_queued_at", oldest);
      if (oldest != null) {
        health.put("oldest_age_ms", Math.max(0, Instant.now().toEpochMilli() - Instant.parse(oldest).toEpochMilli()));
      }
    }
    if (away && lastError != null) {
      health.put("last_error", lastError);
    }
    return health;
  }

  /** Tries the head of the queue now instead of at the end of its back-off (e.g. once the store is seen back). */
  public void retryNow() {
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
      drain();
    }
  }

  private void drain() {
    if (applying || retryTimer >= 0 || queue.isEmpty()) {
      return;
    }
    applying = true;
    Queued head = queue.peekFirst();
    head.attempts++;
    Future<JsonObject> result;
    try {
      result = applier.apply(head.entry.op(), head.attempts);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(done -> {
      if (done.succeeded()) {
        outbox.remove(head.entry).onComplete(removed -> {
          queue.pollFirst();
          applying = false;
          applied++;
          if (away) {
            LOG.info("graph store is back: outbox entry {} applied, {} left", head.entry.seq(), queue.size());
          }
          away = false;
          lastError = null;
          retryMs = retryMinMs;
          if (head.caller != null) {
            head.caller.tryComplete(done.result());
          }
          drain();
        });
        return;
      }
      applying = false;
      Throwable cause = done.cause();
      if (isUnavailable(cause)) {
        if (!away) {
          LOG.warn("graph store unavailable, keeping {} outbox entries until it is back: {}", queue.size(),
            UpstreamText.summary(cause.getMessage()));
        }
        away = true;
        lastError = UpstreamText.summary(cause.getMessage());
        queue.forEach(q -> {
          if (q.caller != null) {
            q.caller.tryComplete(q.pendingReply);
          }
        });
        scheduleRetry();
      } else if (head.attempts >= MAX_FAILED_ATTEMPTS) {
        LOG.error("graph outbox entry {} failed {} times; set aside under failed/ so that the others go on: {}",
          head.entry.seq(), head.attempts, UpstreamText.summary(cause.toString()));
        outbox.setAside(head.entry).onComplete(moved -> {
          queue.pollFirst();
          setAside++;
          if (head.caller != null) {
            head.caller.tryFail(cause);
          }
          drain();
        });
      } else {
        LOG.warn("graph outbox entry {} failed (attempt {}): {}", head.entry.seq(), head.attempts,
          UpstreamText.summary(cause.toString()));
        scheduleRetry();
      }
    });
  }

  private void scheduleRetry() {
    long delay = retryMs;
    retryMs = Math.min(retryMaxMs, retryMs * 2);
    retryTimer = vertx.setTimer(delay, id -> {
      retryTimer = -1;
      drain();
    });
  }

  static boolean isUnavailable(Throwable cause) {
    return cause != null && BusFailure.from(cause).error() == BusError.UNAVAILABLE
      || cause != null && BusFailure.from(cause).error() == BusError.TIMEOUT;
  }

  /** Stops retrying (the verticle is going away); entries stay in the outbox for the next start. */
  public void stop() {
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    queue.forEach(q -> {
      if (q.caller != null) {
        q.caller.tryComplete(q.pendingReply);
      }
    });
  }
}
