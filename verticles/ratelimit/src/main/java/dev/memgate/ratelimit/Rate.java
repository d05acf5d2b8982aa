package dev.memgate.ratelimit;

/**
 * One bucket's shape: it refills at {@code perMinute} tokens a minute, one every {@link #emissionNanos()}, and holds
 * at most {@code capacity}, the burst a caller that has been quiet may spend at once.
 *
 * @param perMinute tokens added per minute, at least 1
 * @param capacity  most tokens the bucket holds, at least 1
 */
public record Rate(int perMinute, int capacity) {
  private static final long NANOS_PER_MINUTE = 60_000_000_000L;

  public Rate {
    if (perMinute < 1 || capacity < 1) {
      throw new IllegalArgumentException("a rate needs at least one token a minute and a capacity of at least one, "
        + "not " + perMinute + "/min and " + capacity);
    }
  }

  /**
   * The rate that refills its whole capacity in {@code burstSeconds}: {@code perMinute * burstSeconds / 60} tokens
   * (at least one), so 60 lets a caller spend a full minute's budget at once.
   */
  public static Rate of(int perMinute, int burstSeconds) {
    return new Rate(perMinute, (int) Math.max(1, Math.min(Integer.MAX_VALUE, (long) perMinute * burstSeconds / 60)));
  }

  /** Nanoseconds between two tokens. */
  public long emissionNanos() {
    return NANOS_PER_MINUTE / perMinute;
  }

  /** How long an empty bucket takes to fill: the window of the {@code RateLimit-Policy} header. */
  public long windowNanos() {
    return emissionNanos() * capacity;
  }

  /** The window in whole seconds, rounded up, as the policy header states it. */
  public long windowSeconds() {
    return ceilSeconds(windowNanos());
  }

  static long ceilSeconds(long nanos) {
    return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
  }
}
