package dev.memgate.remote;

import dev.memgate.contract.RequiredConfig;

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

  /** First back-off step: not a setting, short enough that a retry fits well within any deadline. */
  public static final long INITIAL_BACKOFF_MS = 250;
  /** Longest back-off between two attempts: not a setting. */
  public static final long MAX_BACKOFF_MS = 4_000;

  /** Reads {@code deadline_ms}, {@code max_retries}, {@code breaker_max_failures} and {@code breaker_reset_ms}. */
  public static GuardOptions from(RequiredConfig config) {
    return new GuardOptions(
      config.longInteger("deadline_ms"),
      config.integer("max_retries"),
      config.integer("breaker_max_failures"),
      config.longInteger("breaker_reset_ms"),
      INITIAL_BACKOFF_MS,
      MAX_BACKOFF_MS);
  }
}
