package dev.memgate.ratelimit;

import io.vertx.core.Future;

/**
 * Where the buckets are counted. {@link LocalBucketCounter} keeps them in this process; a clustered Memgate plugs in
 * counts every node shares, which is why the answer is a future.
 */
public interface BucketCounter {

  /**
   * Takes one token from the {@code budget} bucket of {@code key}, which refills at {@code rate} (a bucket not seen
   * before starts full).
   */
  Future<Decision> spend(String key, Budget budget, Rate rate);
}
