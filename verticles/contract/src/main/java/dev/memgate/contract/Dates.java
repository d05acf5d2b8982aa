package dev.memgate.contract;


import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * Dates as the graph keeps them: ISO-8601 UTC timestamps ({@link Timestamps}), which compare correctly as text. A
 * model or a caller may give a year, a month, a day or a full timestamp.
 */
public final class Dates {
  private Dates() {
  }

  /** The first instant of what the text names ("2024" → 2024-01-01T00:00:00.000Z), or null when unreadable. */
  public static String start(String text) {
    Instant instant = parse(text, false);
    return instant == null ? null : Timestamps.format(instant);
  }

  /** The last instant of what the text names ("2024-05-01" → 2024-05-01T23:59:59.999Z), or null. */
  public static String end(String text) {
    Instant instant = parse(text, true);
    return instant == null ? null : Timestamps.format(instant);
  }

  private static Instant parse(String raw, boolean end) {
    if (raw == null) {
      return null;
    }
    String text = raw.strip();
    try {
      if (text.matches("\\d{4}")) {
        int year = Integer.parseInt(text);
        return end ? LocalDate.of(year, 12, 31).atTime(23, 59, 59, 999_000_000).toInstant(ZoneOffset.UTC)
          : LocalDate.of(year, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      if (text.matches("\\d{4}-\\d{2}")) {
        YearMonth month = YearMonth.parse(text);
        return end ? month.atEndOfMonth().atTime(23, 59, 59, 999_000_000).toInstant(ZoneOffset.UTC)
          : month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
        LocalDate day = LocalDate.parse(text);
        return end ? day.atTime(23, 59, 59, 999_000_000).toInstant(ZoneOffset.UTC)
          : day.atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      if (text.endsWith("Z") || text.matches(".*[+-]\\d{2}:\\d{2}$")) {
        return OffsetDateTime.parse(text).toInstant();
      }
      return java.time.LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }
}
