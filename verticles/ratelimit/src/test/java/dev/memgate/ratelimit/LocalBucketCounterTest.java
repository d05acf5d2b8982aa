package dev.memgate.ratelimit;

import dev.memgate.access.Caller;
import dev.memgate.access.Permission;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The bucket maths, on a clock the test moves by hand. */
class LocalBucketCounterTest {
  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
  private final LocalBucketCounter counter = new LocalBucketCounter(1_000, clock::get);

  private int allowedInARow(String key, Budget budget, Rate rate) {
    int allowed = 0;
    while (counter.take(key, budget, rate).allowed()) {
      allowed++;
    }
    return allowed;
  }

  @Test
  void exactlyTheCapacityPassesAtOnceAndTheRateOverAMinute() {
    Rate rate = Rate.of(60, 60);
    assertThat(allowedInARow("k", Budget.WRITES, rate)).isEqualTo(60);
    // Over the next minute, one token a second: 60 more, not 61.
    int allowed = 0;
    for (int tick = 1; tick <= 600; tick++) {
      clock.addAndGet(SECOND / 10);
      allowed += counter.take("k", Budget.WRITES, rate).allowed() ? 1 : 0;
    }
    assertThat(allowed).isEqualTo(60);
  }

  @Test
  void aRateThatDoesNotDivideAMinuteStillAllowsExactlyItsNumberPerMinute() {
    Rate rate = Rate.of(7, 60);
    assertThat(allowedInARow("k", Budget.READS, rate)).isEqualTo(7);
    clock.addAndGet(60 * SECOND);
    assertThat(allowedInARow("k", Budget.READS, rate)).isEqualTo(7);
  }

  @Test
  void refillsOneTokenPerEmissionIntervalAndNotBefore() {
    Rate rate = Rate.of(30, 60);
    allowedInARow("k", Budget.WRITES, rate);
    clock.addAndGet(2 * SECOND - 1);
    assertThat(counter.take("k", Budget.WRITES, rate).allowed()).isFalse();
    clock.addAndGet(1);
    assertThat(counter.take("k", Budget.WRITES, rate).allowed()).isTrue();
    assertThat(counter.take("k", Budget.WRITES, rate).allowed()).isFalse();
  }

  @Test
  void retryAfterIsTheWaitForTheNextTokenRoundedUp() {
    Rate rate = Rate.of(6, 60); // one token every 10 s
    allowedInARow("k", Budget.WRITES, rate);
    Decision refused = counter.take("k", Budget.WRITES, rate);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfterSeconds()).isEqualTo(10);
    assertThat(refused.remaining()).isZero();
    assertThat(refused.resetSeconds()).isEqualTo(60);
    clock.addAndGet(7 * SECOND + SECOND / 2);
    assertThat(counter.take("k", Budget.WRITES, rate).retryAfterSeconds()).isEqualTo(3);
    clock.addAndGet(2 * SECOND + SECOND / 2);
    assertThat(counter.take("k", Budget.WRITES, rate).allowed()).isTrue();
  }

  @Test
  void remainingAndResetCountDownAsTokensAreSpent() {
    Rate rate = Rate.of(60, 60);
    Decision first = counter.take("k", Budget.READS, rate);
    assertThat(first.remaining()).isEqualTo(59);
    assertThat(first.resetSeconds()).isEqualTo(1);
    assertThat(first.policy()).isEqualTo("\"reads\";q=60;w=60");
    assertThat(first.state()).isEqualTo("\"reads\";r=59;t=1");
    for (int i = 0; i < 11; i++) {
      counter.take("k", Budget.READS, rate);
    }
    assertThat(counter.take("k", Budget.READS, rate).state()).isEqualTo("\"reads\";r=47;t=13");
  }

  @Test
  void burstSecondsSizeTheBucket() {
    Rate rate = Rate.of(120, 5); // 2 a second, bursts of 10
    assertThat(rate.capacity()).isEqualTo(10);
    assertThat(rate.windowSeconds()).isEqualTo(5);
    assertThat(allowedInARow("k", Budget.READS, rate)).isEqualTo(10);
    assertThat(Rate.of(10, 1).capacity()).as("never less than one").isEqualTo(1);
  }

  @Test
  void budgetsAndKeysAreSeparateBuckets() {
    Rate rate = Rate.of(3, 60);
    assertThat(allowedInARow("alice", Budget.WRITES, rate)).isEqualTo(3);
    assertThat(counter.take("alice", Budget.READS, rate).allowed()).isTrue();
    assertThat(counter.take("bob", Budget.WRITES, rate).allowed()).isTrue();
  }

  @Test
  void idleBucketsAreDroppedAndMemoryStaysBounded() {
    LocalBucketCounter small = new LocalBucketCounter(100, clock::get);
    Rate rate = Rate.of(60, 60);
    for (int i = 0; i < 1_000; i++) {
      small.take("client-" + i, Budget.READS, rate);
    }
    assertThat(small.size()).isLessThanOrEqualTo(100);
    clock.addAndGet(2 * SECOND);
    small.sweep();
    assertThat(small.size()).as("every bucket refilled: the same as none").isZero();
  }

  @Test
  void aBucketInUseIsNotForgottenBySweeping() {
    Rate rate = Rate.of(2, 60);
    allowedInARow("k", Budget.WRITES, rate);
    counter.sweep();
    assertThat(counter.take("k", Budget.WRITES, rate).allowed()).isFalse();
  }

  @Test
  void keysCountPerCredentialAndAnonymousCallersPerAddress() {
    Caller key = new Caller("k1", Caller.Kind.KEY, "k1", null, null, null, Permission.ALL, 5, null);
    assertThat(RateLimiter.keyOf(key, "127.0.0.1")).isEqualTo(RateLimiter.keyOf(key, "10.0.0.9"));
    assertThat(RateLimiter.keyOf(Caller.OPEN, "127.0.0.1")).isNotEqualTo(RateLimiter.keyOf(Caller.OPEN, "127.0.0.2"));
    RateLimits limits = new RateLimits(true, new RateLimits.PerMinute(100, 50, 10),
      new RateLimits.PerMinute(20, 10, 2), 60, 1_000);
    assertThat(limits.forKey(Budget.READS, 5).perMinute()).as("the key's own rate").isEqualTo(5);
    assertThat(limits.forKey(Budget.INFERENCES, 500).perMinute()).as("never more inferences").isEqualTo(10);
    assertThat(limits.forKey(Budget.WRITES, null).perMinute()).isEqualTo(50);
    assertThat(limits.forAddress(Budget.WRITES).perMinute()).isEqualTo(10);
  }
}
