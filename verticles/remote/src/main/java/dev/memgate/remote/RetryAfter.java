package dev.memgate.remote;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Reads an HTTP {@code Retry-After} header: delay-seconds or an HTTP date. Anything else (a Java number such as
 * {@code Infinity}, {@code 1e2} or {@code 5f} included) is unreadable and ignored, so that a provider's garbage
 * cannot make a call wait for ever; a delay too large for a long stays the largest delay, never an overflow.
 */
public final class RetryAfter {
  /** RFC 9110's 1*DIGIT, and a fraction, which some rate limiters send. */
  private static final Pattern SECONDS = Pattern.compile("[0-9]+(\\.[0-9]+)?");
  private static final BigDecimal LONGEST = BigDecimal.valueOf(Long.MAX_VALUE);

  private RetryAfter() {
  }

  /** Milliseconds to wait, or null when the header is absent or unreadable. */
  public static Long millis(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.strip();
    if (SECONDS.matcher(value).matches()) {
      BigDecimal millis = new BigDecimal(value).movePointRight(3).setScale(0, RoundingMode.CEILING);
      return millis.compareTo(LONGEST) >= 0 ? Long.MAX_VALUE : millis.longValueExact();
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Math.max(0, at.toEpochMilli() - now.toEpochMilli());
    } catch (DateTimeParseException notADate) {
      return null;
    }
  }
}
