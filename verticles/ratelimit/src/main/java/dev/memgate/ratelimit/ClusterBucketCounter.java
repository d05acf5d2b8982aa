package dev.memgate.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A clustered Memgate's buckets: a key's buckets are counters the whole cluster shares (Vert.x's clustered counters),
 * so a key that spreads its requests over every node behind a load balancer still gets its budget once, not once per
 * node. Each bucket is the time (epoch nanoseconds, the nodes' clocks being in step) at which it is full again,
 * advanced with compare-and-set. Requests without a credential are counted per node ({@code local}): behind a load
 * balancer their address is the balancer's anyway.
 *
 * <p>Should the cluster's counters fail, the request is counted by this node alone rather than refused or delayed.
 */
public final class ClusterBucketCounter implements BucketCounter {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterBucketCounter.class);
  private static final String PREFIX = "memgate.ratelimit|";
  /** Compare-and-set attempts before a contended request is let through (lenient, never stuck). */
  static final int ATTEMPTS = 8;
  static final int MAX_REMEMBERED = 100_000;

  private final Vertx vertx;
  private final BucketCounter local;
  private final Map<String, Future<Counter>> counters = new ConcurrentHashMap<>();
  private final AtomicBoolean warned = new AtomicBoolean();

  public ClusterBucketCounter(Vertx vertx, BucketCounter local) {
    this.vertx = vertx;
    this.local = local;
  }

  @Override
  public Future<Decision> spend(String key, Budget budget, Rate rate) {
    if (key.startsWith(RateLimiter.ADDRESS_PREFIX)) {
      return local.spend(key, budget, rate);
    }
    String name = PREFIX + budget.wireName() + '|' + key;
    return counter(name).compose(counter -> attempt(counter, budget, rate, 1))
      .recover(err -> {
        counters.remove(name);
        if (warned.compareAndSet(false, true)) {
          LOG.warn("cluster-wide rate limit counts are unavailable ({}): counting on this node alone",
            err.getMessage());
        }
        return local.spend(key, budget, rate);
      });
  }

  private Future<Counter> counter(String name) {
    if (counters.size() >= MAX_REMEMBERED) {
      counters.clear();
    }
    return counters.computeIfAbsent(name, n -> vertx.sharedData().getCounter(n));
  }

  private Future<Decision> attempt(Counter counter, Budget budget, Rate rate, int attempt) {
    return counter.get().compose(fullAt -> {
      Gcra.Outcome outcome = Gcra.spend(fullAt, epochNanos(), budget, rate);
      if (!outcome.decision().allowed() || attempt >= ATTEMPTS) {
        return Future.succeededFuture(outcome.decision());
      }
      return counter.compareAndSet(fullAt, outcome.fullAt()).compose(set -> set
        ? Future.succeededFuture(outcome.decision())
        : attempt(counter, budget, rate, attempt + 1));
    });
  }

  private static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
