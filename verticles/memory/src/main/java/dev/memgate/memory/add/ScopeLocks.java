package dev.memgate.memory.add;

import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.Scope;
import dev.memgate.memory.TextHash;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * Runs the read-decide-write part of inferred adds one at a time per exact scope, so that two adds for the same
 * user at once cannot both decide to ADD the same fact: the second one sees what the first one wrote.
 *
 * <p>The locks are Vert.x shared-data locks: local to the process today (and shared by every memory verticle
 * instance), cluster-wide as soon as the event bus is clustered, with no code change. Waiters are served in order.
 * The store's de-duplication of identical texts stays as a second guard.
 */
final class ScopeLocks {
  private final Vertx vertx;
  private final long waitMs;

  ScopeLocks(Vertx vertx, long waitMs) {
    this.vertx = vertx;
    this.waitMs = waitMs;
  }

  <T> Future<T> withLock(Scope scope, Supplier<Future<T>> work) {
    String name = "memgate.memory.add." + TextHash.md5(scope.key());
    return vertx.sharedData().getLockWithTimeout(name, waitMs)
      .recover(err -> Future.failedFuture(new BusFailure(BusError.UNAVAILABLE, "another add for the same "
        + "user/agent/run has kept it busy for more than " + waitMs + " ms; send this one again later", null,
        "memory").toException()))
      .compose(lock -> {
        Future<T> result;
        try {
          result = work.get();
        } catch (RuntimeException e) {
          result = Future.failedFuture(e);
        }
        return result.onComplete(done -> lock.release());
      });
  }
}
