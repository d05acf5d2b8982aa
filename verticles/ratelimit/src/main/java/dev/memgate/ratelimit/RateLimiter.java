package dev.memgate.ratelimit;

import dev.memgate.access.Caller;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

/**
 * Who spends from which bucket: a caller with a credential spends from its key's buckets ({@link Caller#limitKey()}),
 * whichever listener and connection it comes through; a caller without one (an open Memgate) from its client
 * address's. One limiter per process ({@link #shared}), so the REST instances and MCP count together.
 */
public final class RateLimiter implements Shareable {
  private static final String SHARED_MAP = "memgate.ratelimit";

  private final RateLimits limits;
  private final BucketCounter counter;

  public RateLimiter(RateLimits limits, BucketCounter counter) {
    this.limits = limits;
    this.counter = counter;
  }

  /** This process's limiter, made by the first listener that starts (they all get the same settings). */
  public static RateLimiter shared(Vertx vertx, RateLimits limits) {
    LocalMap<String, RateLimiter> map = vertx.sharedData().getLocalMap(SHARED_MAP);
    RateLimiter existing = map.get("limiter");
    if (existing != null) {
      return existing;
    }
    RateLimiter fresh = new RateLimiter(limits, new LocalBucketCounter(limits.maxTracked(), System::nanoTime));
    existing = map.putIfAbsent("limiter", fresh);
    return existing == null ? fresh : existing;
  }

  public boolean enabled() {
    return limits.enabled();
  }

  /**
   * Spends one token of {@code budget} for this caller.
   *
   * @param address the client's address, which counts for a caller without a credential; may be null (stdio)
   * @return the decision, or null when rate limits are off (then there is nothing to tell the client either)
   */
  public Future<Decision> spend(Caller caller, String address, Budget budget) {
    if (!limits.enabled()) {
      return Future.succeededFuture();
    }
    return counter.spend(keyOf(caller, address), budget, rateOf(caller, budget));
  }

  /** The bucket key: the caller's limit key once it is authenticated, else its address. */
  public static String keyOf(Caller caller, String address) {
    return caller == null || caller.kind() == Caller.Kind.OPEN ? "address:" + address : caller.limitKey();
  }

  private Rate rateOf(Caller caller, Budget budget) {
    return caller == null || caller.kind() == Caller.Kind.OPEN ? limits.forAddress(budget)
      : limits.forKey(budget, caller.requestsPerMinute());
  }
}
