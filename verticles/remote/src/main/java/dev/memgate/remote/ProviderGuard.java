package dev.memgate.remote;

import dev.memgate.contract.BusFailure;
import dev.memgate.contract.BusFailureException;
import dev.memgate.contract.UpstreamText;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.circuitbreaker.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Calls one remote provider: one circuit breaker for it (created once, with the provider), a whole-call deadline,
 * and retries with jittered exponential back-off (or the provider's Retry-After) only for failures a retry can
 * cure: connection errors, timeouts, 429 and 5xx. Those also count towards opening the circuit; a 4xx such as 400
 * or 401 is a configuration mistake, answered at once and never retried.
 *
 * <p>Retries are driven here rather than by the breaker's own retry option, because that one retries every failure,
 * 401 included. Every attempt goes through the breaker, so an open circuit stops a retry loop as well.
 *
 * <p>Every failure leaves as {@link BusFailure#unavailable} naming the dependency (e.g. {@code llm:openai}) and the
 * reason. What the provider or the network said reaches that reason, /health and the log only through
 * {@link UpstreamText}: summarised, without credentials (the key itself, registered by the caller, included), and
 * without the password of the base URL. Used on one verticle's context.
 */
public final class ProviderGuard {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderGuard.class);
  /** Not worth starting an attempt with less time than this left. */
  private static final long MIN_ATTEMPT_MS = 50;

  private final Vertx vertx;
  private final String dependency;
  private final String description;
  private final GuardOptions options;
  private final CircuitBreaker breaker;
  private final RetryPolicy backoff;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong attempts = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong failedCalls = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile String lastFailure;
  private volatile long lastFailureAt;

  /**
   * @param dependency  how failures name the provider, e.g. {@code llm:openai}
   * @param description how messages describe it, e.g. {@code LLM provider openai at https://api.openai.com/v1}
   */
  public ProviderGuard(Vertx vertx, String dependency, String description, GuardOptions options) {
    this.vertx = vertx;
    this.dependency = dependency;
    this.description = UpstreamText.redact(description);
    this.options = options;
    this.backoff = RetryPolicy.exponentialDelayWithJitter(options.initialBackoffMs(), options.maxBackoffMs());
    this.breaker = CircuitBreaker.create(dependency, vertx, new CircuitBreakerOptions()
        .setMaxFailures(options.maxFailures())
        // Each attempt carries its own deadline (the time left); this one is only a safety net.
        .setTimeout(options.deadlineMs())
        .setResetTimeout(options.resetTimeoutMs())
        .setFailuresRollingWindow(60_000)
        .setMaxRetries(0))
      .failurePolicy(done -> done.failed() && isTransient(done.cause()))
      .openHandler(v -> LOG.warn("{}: circuit opened after repeated failures (last: {}); calls are refused for {} ms",
        dependency, lastFailure, options.resetTimeoutMs()))
      .halfOpenHandler(v -> LOG.info("{}: circuit half-open, the next call is a trial", dependency))
      .closeHandler(v -> LOG.info("{}: circuit closed, the provider answers again", dependency));
  }

  public String dependency() {
    return dependency;
  }

  public GuardOptions options() {
    return options;
  }

  /**
   * Runs a call. {@code attempt} receives the milliseconds left before the deadline and starts one attempt; it
   * should fail with a {@link RemoteFailure} saying what went wrong (other failures are classified here).
   */
  public <T> Future<T> call(LongFunction<Future<T>> attempt) {
    calls.incrementAndGet();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.deadlineMs());
    Promise<T> result = Promise.promise();
    attempt(attempt, 0, deadline, result);
    return result.future();
  }

  private <T> void attempt(LongFunction<Future<T>> attempt, int retry, long deadline, Promise<T> result) {
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    attempts.incrementAndGet();
    breaker.<T>execute(() -> start(attempt, left)).onComplete(done -> {
      if (done.succeeded()) {
        result.complete(done.result());
        return;
      }
      Throwable failure = done.cause();
      if (failure instanceof OpenCircuitException) {
        refused.incrementAndGet();
        fail(result, "the circuit is open after repeated failures (last: " + lastFailure + "); calls are refused "
          + "for up to " + options.resetTimeoutMs() / 1000.0 + " s, then one trial call is let through", retry);
        return;
      }
      RemoteFailure classified = classify(failure);
      String reason = UpstreamText.redact(classified.getMessage());
      lastFailure = reason;
      lastFailureAt = System.currentTimeMillis();
      if (!classified.kind().isTransient() || retry >= options.maxRetries()) {
        fail(result, reason, retry);
        return;
      }
      long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      long delay = classified.retryAfterMs() != null
        ? classified.retryAfterMs()
        : Math.max(options.initialBackoffMs() / 4, backoff.delay(classified, retry + 1));
      // Not delay + MIN_ATTEMPT_MS: a Retry-After of Long.MAX_VALUE would overflow into "time enough".
      if (delay > remaining - MIN_ATTEMPT_MS) {
        String why = classified.retryAfterMs() != null
          ? reason + "; it asked to retry after " + delay + " ms, beyond the call's deadline"
          : reason + "; no time left to retry within the " + options.deadlineMs() + " ms deadline";
        fail(result, why, retry);
        return;
      }
      retries.incrementAndGet();
      LOG.debug("{}: attempt {} failed ({}); retrying in {} ms", dependency, retry + 1, reason, delay);
      Runnable next = () -> attempt(attempt, retry + 1, deadline, result);
      if (delay <= 0) {
        next.run();
      } else {
        vertx.setTimer(delay, id -> next.run());
      }
    });
  }

  private static <T> Future<T> start(LongFunction<Future<T>> attempt, long leftMs) {
    if (leftMs < MIN_ATTEMPT_MS) {
      return Future.failedFuture(RemoteFailure.of(RemoteFailure.Kind.TIMEOUT, "no answer within the deadline"));
    }
    Future<T> started;
    try {
      started = attempt.apply(leftMs);
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    return started.timeout(leftMs, TimeUnit.MILLISECONDS)
      .recover(err -> Future.failedFuture(classify(err)));
  }

  private void fail(Promise<?> result, String reason, int retry) {
    failedCalls.incrementAndGet();
    String attemptsMade = retry > 0 ? " (after " + (retry + 1) + " attempts)" : "";
    result.fail(BusFailure.unavailable(dependency, description + ": " + reason + attemptsMade).toException());
  }

  private static boolean isTransient(Throwable failure) {
    return classify(failure).kind().isTransient();
  }

  /** Connection trouble and timeouts are transient; anything else unexpected means the reply was unusable. */
  static RemoteFailure classify(Throwable failure) {
    if (failure instanceof RemoteFailure remote) {
      return remote;
    }
    if (failure instanceof java.util.concurrent.TimeoutException
      || failure instanceof io.vertx.circuitbreaker.TimeoutException
      || failure.getClass().getSimpleName().contains("Timeout")) {
      return RemoteFailure.of(RemoteFailure.Kind.TIMEOUT, "no answer within the deadline");
    }
    if (failure instanceof BusFailureException typed) {
      return RemoteFailure.of(RemoteFailure.Kind.UNREADABLE, UpstreamText.summary(typed.getMessage()));
    }
    if (failure instanceof IOException || failure instanceof VertxException) {
      return RemoteFailure.of(RemoteFailure.Kind.CONNECTION, "unreachable ("
        + UpstreamText.summary(failure.getMessage()) + ")");
    }
    return RemoteFailure.of(RemoteFailure.Kind.UNREADABLE, "answered something unusable ("
      + failure.getClass().getSimpleName() + ": " + UpstreamText.summary(failure.getMessage()) + ")");
  }

  public CircuitBreakerState state() {
    return breaker.state();
  }

  /** For /health: the circuit's state and the call counters; never a secret. */
  public JsonObject health() {
    JsonObject health = new JsonObject()
      .put("state", breaker.state().name())
      .put("recent_failures", breaker.failureCount())
      .put("calls", calls.get())
      .put("attempts", attempts.get())
      .put("retries", retries.get())
      .put("failed_calls", failedCalls.get())
      .put("refused_while_open", refused.get())
      .put("deadline_ms", options.deadlineMs())
      .put("max_retries", options.maxRetries())
      .put("max_failures", options.maxFailures())
      .put("reset_timeout_ms", options.resetTimeoutMs());
    if (lastFailure != null) {
      health.put("last_failure", lastFailure).put("last_failure_at", java.time.Instant.ofEpochMilli(lastFailureAt)
        .toString());
    }
    return health;
  }

  public void close() {
    breaker.close();
  }
}
