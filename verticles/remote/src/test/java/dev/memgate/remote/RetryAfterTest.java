package dev.memgate.remote;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long a provider's {@code Retry-After} asks us to wait (RFC 9110 §10.2.3: delay-seconds or an HTTP-date), and
 * that a header we cannot read is ignored rather than obeyed: the guard then falls back to its own back-off.
 */
class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2015-10-21T07:28:00Z");

  @Test
  void delaySecondsBecomeMilliseconds() {
    assertThat(RetryAfter.millis("120", NOW)).isEqualTo(120_000L);
    assertThat(RetryAfter.millis("1", NOW)).isEqualTo(1_000L);
    assertThat(RetryAfter.millis("0", NOW)).isZero();
    assertThat(RetryAfter.millis(" 3 ", NOW)).as("surrounding spaces").isEqualTo(3_000L);
  }

  /** Not in the RFC, but sent by some rate limiters: a fraction is rounded up, never down to "at once". */
  @Test
  void aFractionOfASecondIsRoundedUpToTheNextMillisecond() {
    assertThat(RetryAfter.millis("1.5", NOW)).isEqualTo(1_500L);
    assertThat(RetryAfter.millis("0.0001", NOW)).isEqualTo(1L);
  }

  @Test
  void anHttpDateIsTheTimeLeftUntilThen() {
    assertThat(RetryAfter.millis("Wed, 21 Oct 2015 07:28:30 GMT", NOW)).isEqualTo(30_000L);
    assertThat(RetryAfter.millis("Wed, 21 Oct 2015 08:28:00 GMT", NOW)).isEqualTo(3_600_000L);
  }

  @Test
  void anHttpDateAlreadyPastMeansAtOnce() {
    assertThat(RetryAfter.millis("Wed, 21 Oct 2015 07:27:00 GMT", NOW)).isZero();
  }

  @Test
  void anAbsentHeaderIsNoAdvice() {
    assertThat(RetryAfter.millis(null, NOW)).isNull();
    assertThat(RetryAfter.millis("", NOW)).isNull();
    assertThat(RetryAfter.millis("   ", NOW)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "-5", "-0.5", "NaN", "Infinity", "-Infinity", "5f", "2d", "0x1p3", "1e2", "12 s",
    "tomorrow", "21 Oct 2015", "Wed, 32 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 07:28:00"})
  void aValueThatIsNeitherFormIsIgnored(String garbage) {
    assertThat(RetryAfter.millis(garbage, NOW)).as("Retry-After: %s", garbage).isNull();
  }

  /** A number too large for a long is still "later than any deadline", not an overflow into the past. */
  @Test
  void anEnormousDelayStaysEnormous() {
    assertThat(RetryAfter.millis("99999999999999999999999", NOW)).isEqualTo(Long.MAX_VALUE);
    assertThat(RetryAfter.millis("9223372036854776", NOW)).isEqualTo(Long.MAX_VALUE);
    assertThat(RetryAfter.millis("Fri, 31 Dec 9999 23:59:59 GMT", NOW)).isGreaterThan(250_000_000_000_000L);
  }
}
