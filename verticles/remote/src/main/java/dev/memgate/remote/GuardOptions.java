package dev.memgate.remote;

import io.vertx.core.json.JsonObject;

/**
 * How a provider is guarded.
 *
 * @param deadlineMs     the whole call, retries and back-off included, must end within this
 * @param maxRetries     extra attempts after a transient failure (connection error, timeout, 429, 5xx)
 * @param maxFailures    transient failures within a minute that open the circuit
 * @param resetTimeoutMs how long an open circuit refuses calls before it lets one trial call through
 * @param initialBackoffMs first back-off step; each retry doubles it, with full jitter
 * @param maxBackoffMs   longest back-off between two attempts
 */
public record GuardOptions(long deadlineMs, int maxRetries, int maxFailures, long resetTimeoutMs,
                           long initialBackoffMs, long maxBackoffMs) {

  public GuardOptions {
    if (deadlineMs <= 0 || maxRetries < 0 || maxFailures < 1 || resetTimeoutMs <= 0 || initialBackoffMs <= 0
      || maxBackoffMs < initialBackoffMs) {
      throw new IllegalArgumentException("invalid guard options");
    }
  }

  /** Reads {deadline_ms, max_retries, breaker_max_failures, breaker_reset_ms} with the given fallbacks. */
  public static GuardOptions from(JsonObject config, long defaultDeadlineMs) {
    return new GuardOptions(
      config.getLong("deadline_ms", defaultDeadlineMs),
      config.getInteger("max_retries", 2),
      config.getInteger("breaker_max_failures", 5),
      config.getLong("breaker_reset_ms", 30_000L),
      config.getLong("initial_backoff_ms", 250L),
      config.getLong("max_backoff_ms", 4_000L));
  }
}
