package dev.memgate.remote;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads an HTTP {@code Retry-After} header: delay-seconds or an HTTP date. */
public final class RetryAfter {
  private RetryAfter() {
  }

  /** Milliseconds to wait, or null when the header is absent or unreadable. */
  public static Long millis(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.strip();
    try {
      double seconds = Double.parseDouble(value);
      return seconds < 0 ? null : (long) Math.ceil(seconds * 1000);
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return Math.max(0, at.toEpochMilli() - now.toEpochMilli());
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }
}
