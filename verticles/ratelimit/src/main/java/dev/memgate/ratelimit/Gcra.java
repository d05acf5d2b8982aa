package dev.memgate.ratelimit;

/**
 * The generic cell rate algorithm on one bucket, whose state is one number: the time at which it is full again.
 * A request costs one emission interval and is allowed while that time stays within one window of now. Shared by the
 * in-process buckets and the cluster-wide ones, so both answer alike.
 */
final class Gcra {
  private Gcra() {
  }

  /**
   * @param decision what the request is told
   * @param fullAt   the bucket's new state (unchanged when refused)
   */
  record Outcome(Decision decision, long fullAt) {
  }

  static Outcome spend(long fullAt, long now, Budget budget, Rate rate) {
    long interval = rate.emissionNanos();
    long window = rate.windowNanos();
    long base = Math.max(fullAt, now);
    long after = base + interval;
    if (after - now <= window) {
      return new Outcome(new Decision(true, budget, rate, (window - (after - now)) / interval,
        Rate.ceilSeconds(after - now), 0), after);
    }
    long wait = after - now - window;
    return new Outcome(new Decision(false, budget, rate, (window - (base - now)) / interval,
      Rate.ceilSeconds(base - now), Math.max(1, Rate.ceilSeconds(wait))), fullAt);
  }
}
