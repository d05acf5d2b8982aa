package dev.memgate.ratelimit;

import io.vertx.core.Future;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The buckets of one process, safe to share between event loops. Each bucket is one number, the time at which it
 * would be full again (the "theoretical arrival time" of the generic cell rate algorithm): a request costs one
 * emission interval, and is allowed while that time stays within one window of now. Integer nanoseconds, so exactly
 * {@code capacity} requests pass from a full bucket, and one more every emission interval.
 *
 * <p>Memory stays bounded: a bucket that has refilled is the same as no bucket, so such idle buckets are dropped
 * every {@link #SWEEP_EVERY} new buckets; and when {@code maxBuckets} are tracked at once, a new one first sweeps,
 * and if every bucket is still in use, forgets some (they start full again: lenient, never wrong in the other
 * direction).
 */
public final class LocalBucketCounter implements BucketCounter {
  static final int SWEEP_EVERY = 4_096;

  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final int maxBuckets;
  private final LongSupplier nanoClock;
  private final AtomicInteger createdSinceSweep = new AtomicInteger();
  private final AtomicBoolean sweeping = new AtomicBoolean();

  /**
   * @param maxBuckets most buckets tracked at once
   * @param nanoClock  a monotonic clock in nanoseconds ({@code System::nanoTime}; a hand-moved one in tests)
   */
  public LocalBucketCounter(int maxBuckets, LongSupplier nanoClock) {
    if (maxBuckets < 1) {
      throw new IllegalArgumentException("maxBuckets must be at least 1");
    }
    this.maxBuckets = maxBuckets;
    this.nanoClock = nanoClock;
  }

  @Override
  public Future<Decision> spend(String key, Budget budget, Rate rate) {
    return Future.succeededFuture(take(key, budget, rate));
  }

  /** As {@link #spend}, answered at once. */
  public Decision take(String key, Budget budget, Rate rate) {
    String id = budget.wireName() + '|' + key;
    while (true) {
      Bucket bucket = buckets.get(id);
      if (bucket == null) {
        makeRoom();
        Bucket fresh = new Bucket(nanoClock.getAsLong());
        bucket = buckets.putIfAbsent(id, fresh);
        if (bucket == null) {
          bucket = fresh;
          if (createdSinceSweep.incrementAndGet() >= SWEEP_EVERY) {
            sweep();
          }
        }
      }
      Decision decision = bucket.take(budget, rate, nanoClock.getAsLong());
      if (decision != null) {
        return decision;
      }
      // The bucket was dropped as idle between our lookup and our take: a fresh one stands for it.
    }
  }

  /** Buckets tracked now (for tests and health). */
  public int size() {
    return buckets.size();
  }

  private void makeRoom() {
    if (buckets.size() < maxBuckets) {
      return;
    }
    sweep();
    if (buckets.size() < maxBuckets) {
      return;
    }
    // Every tracked bucket is in use: forget a tenth of them rather than grow without bound.
    int forget = Math.max(1, maxBuckets / 10);
    Iterator<Map.Entry<String, Bucket>> entries = buckets.entrySet().iterator();
    while (forget-- > 0 && entries.hasNext()) {
      Map.Entry<String, Bucket> entry = entries.next();
      if (entry.getValue().retire(Long.MAX_VALUE)) {
        entries.remove();
      }
    }
  }

  /** Drops the buckets that have refilled: they are the same as none. One sweep at a time. */
  void sweep() {
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    try {
      createdSinceSweep.set(0);
      long now = nanoClock.getAsLong();
      buckets.entrySet().removeIf(entry -> entry.getValue().retire(now));
    } finally {
      sweeping.set(false);
    }
  }

  /** One bucket: the time at which it is full again. */
  private static final class Bucket {
    private long fullAt;
    private boolean retired;

    Bucket(long now) {
      this.fullAt = now;
    }

    /** Null when the bucket was retired: the caller looks it up again. */
    synchronized Decision take(Budget budget, Rate rate, long now) {
      if (retired) {
        return null;
      }
      Gcra.Outcome outcome = Gcra.spend(fullAt, now, budget, rate);
      fullAt = outcome.fullAt();
      return outcome.decision();
    }

    /** Retires the bucket if it is full by {@code now} (any bucket when now is Long.MAX_VALUE). */
    synchronized boolean retire(long now) {
      if (now == Long.MAX_VALUE || fullAt - now <= 0) {
        retired = true;
      }
      return retired;
    }
  }
}
