package dev.memgate.ratelimit;

import dev.memgate.access.Caller;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

/**
 * Who spends from which bucket: a caller with a credential spends from its key's buckets ({@link Caller#limitKey()}),
 * whichever listener and connection it comes through; a caller without one (an open Memgate) from its client
 * address's. One limiter per process ({@link #shared}), so the REST instances and MCP count together; on a
 * clustered Memgate, keys' buckets are the cluster's ({@link ClusterBucketCounter}).
 */
public final class RateLimiter implements Shareable {
  private static final String SHARED_MAP = "memgate.ratelimit";
  /** How the bucket key of a caller without a credential starts: its client address follows. */
  static final String ADDRESS_PREFIX = "address:";

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
    BucketCounter local = new LocalBucketCounter(limits.maxTracked(), System::nanoTime);
    // Clustered, a key's buckets are shared by every node, so a key gets its budget once across the cluster.
    RateLimiter fresh = new RateLimiter(limits, vertx.isClustered() ? new ClusterBucketCounter(vertx, local) : local);
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
    return caller == null || caller.kind() == Caller.Kind.OPEN ? ADDRESS_PREFIX + address : caller.limitKey();
  }

  private Rate rateOf(Caller caller, Budget budget) {
    return caller == null || caller.kind() == Caller.Kind.OPEN ? limits.forAddress(budget)
      : limits.forKey(budget, caller.requestsPerMinute());
  }
}
