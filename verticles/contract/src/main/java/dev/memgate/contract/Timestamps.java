package dev.memgate.contract;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Timestamps are ISO-8601 UTC with milliseconds, e.g. {@code 2026-11-23T21:07:53.123Z}. */
public final class Timestamps {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
    .withZone(ZoneOffset.UTC);

  private Timestamps() {
  }

  public static String now() {
    return format(Instant.now());
  }

  public static String format(Instant instant) {
    return FORMAT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  public static Instant parse(String text) {
    return Instant.parse(text);
  }
}
