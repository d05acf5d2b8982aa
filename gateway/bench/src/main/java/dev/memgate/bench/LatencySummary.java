package dev.memgate.bench;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;

/**
 * The distribution of one phase's latencies, in milliseconds. Percentiles are nearest-rank: p95 is the smallest
 * measured latency that at least 95% of the operations did not exceed (so it is always a latency that happened).
 */
record LatencySummary(int count, double meanMs, double p50Ms, double p95Ms, double p99Ms, double maxMs) {

  static LatencySummary of(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no latencies to summarise");
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double total = 0;
    for (long n : sorted) {
      total += n;
    }
    return new LatencySummary(sorted.length, millis(total / sorted.length), millis(rank(sorted, 0.50)),
      millis(rank(sorted, 0.95)), millis(rank(sorted, 0.99)), millis(sorted[sorted.length - 1]));
  }

  /** Nearest-rank percentile of sorted values. */
  static long rank(long[] sorted, double fraction) {
    int rank = (int) Math.ceil(fraction * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  private static double millis(double nanos) {
    return nanos / 1_000_000.0;
  }

  JsonObject toJson() {
    return new JsonObject()
      .put("count", count)
      .put("mean", round(meanMs))
      .put("p50", round(p50Ms))
      .put("p95", round(p95Ms))
      .put("p99", round(p99Ms))
      .put("max", round(maxMs));
  }

  /** Microsecond resolution is all a millisecond figure needs. */
  static double round(double value) {
    return Math.round(value * 1000.0) / 1000.0;
  }
}
