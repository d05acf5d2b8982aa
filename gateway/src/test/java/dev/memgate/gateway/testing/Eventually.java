package dev.memgate.gateway.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting for something the service does on its own time (a breaker half-opening, an outbox replaying, a pool
 * reconnecting), observed from outside over HTTP, where there is no event to wait on. Bounded by a wall-clock
 * deadline, not by a count of tries, so that a slow, loaded machine gets the same time as a fast one.
 */
public final class Eventually {
  private static final long PAUSE_MS = 100;

  private Eventually() {
  }

  /** Returns once {@code done} is true; fails after {@code within} with {@code state} saying where things stood. */
  public static void await(Duration within, BooleanSupplier done, Supplier<String> state) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still waiting after " + within.toSeconds() + " s: " + state.get());
      }
      try {
        Thread.sleep(PAUSE_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting: " + state.get(), e);
      }
    }
  }
}
