package dev.memgate.vector.ranking;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a query says beyond its meaning and its words: the people it names and the dates it mentions. A memory said
 * by a person the query names, or dated on a day (or in a month) the query mentions, is more likely the one asked
 * about. Plain English dates only ("8 May 2023", "May 8, 2023", "2023-05-08", "in May 2023", "in May"); relative ones
 * ("last week") would need to know when the question was asked.
 */
public final class QueryHints {
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
  private static final Map<String, Integer> MONTHS = months();
  private static final String MONTH = "(january|february|march|april|may|june|july|august|september|october|"
    + "november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\\.?";
  private static final Pattern DAY_MONTH_YEAR = Pattern.compile(
    "\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?" + MONTH + ",?\\s+(\\d{4})\\b");
  private static final Pattern MONTH_DAY_YEAR = Pattern.compile(
    "\\b" + MONTH + "\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b");
  private static final Pattern ISO_DAY = Pattern.compile("\\b(\\d{4})-(\\d{2})-(\\d{2})\\b");
  private static final Pattern MONTH_YEAR = Pattern.compile("\\b" + MONTH + ",?\\s+(\\d{4})\\b");
  /** "in May" without a year; a bare "may" is too often the verb. */
  private static final Pattern IN_MONTH = Pattern.compile("\\b(?:in|during|since|until|of|early|late|mid)\\s+"
    + MONTH + "\\b");

  /** A day, a month of a year, or a month of any year (year 0). */
  private record Period(int year, int month, int day) {
    boolean contains(LocalDate date) {
      return (year == 0 || date.getYear() == year) && date.getMonthValue() == month
        && (day == 0 || date.getDayOfMonth() == day);
    }
  }

  private final Set<String> words;
  private final List<Period> periods;

  private QueryHints(Set<String> words, List<Period> periods) {
    this.words = words;
    this.periods = periods;
  }

  public static QueryHints of(String query) {
    String lower = query == null ? "" : query.toLowerCase(Locale.ROOT);
    Set<String> words = new HashSet<>();
    Matcher word = WORD.matcher(lower);
    while (word.find()) {
      words.add(word.group());
    }
    return new QueryHints(words, periods(lower));
  }

  /** Whether the query names this speaker: every word of the name appears in it ("Caroline's" names Caroline). */
  public boolean names(String actorId) {
    if (actorId == null || actorId.isBlank()) {
      return false;
    }
    Matcher word = WORD.matcher(actorId.toLowerCase(Locale.ROOT));
    boolean any = false;
    while (word.find()) {
      if (!words.contains(word.group())) {
        return false;
      }
      any = true;
    }
    return any;
  }

  public boolean mentionsDates() {
    return !periods.isEmpty();
  }

  /** Whether the memory's date (an ISO-8601 instant, read in UTC) falls in a day or month the query mentions. */
  public boolean dates(String createdAt) {
    if (periods.isEmpty() || createdAt == null) {
      return false;
    }
    LocalDate date;
    try {
      date = LocalDate.ofInstant(Instant.parse(createdAt), ZoneOffset.UTC);
    } catch (DateTimeParseException unreadable) {
      return false;
    }
    return periods.stream().anyMatch(p -> p.contains(date));
  }

  private static List<Period> periods(String query) {
    List<Period> periods = new ArrayList<>();
    StringBuilder rest = new StringBuilder(query);
    collect(DAY_MONTH_YEAR, rest, m -> day(m.group(3), MONTHS.get(m.group(2)), m.group(1)), periods);
    collect(MONTH_DAY_YEAR, rest, m -> day(m.group(3), MONTHS.get(m.group(1)), m.group(2)), periods);
    collect(ISO_DAY, rest, m -> day(m.group(1), Integer.parseInt(m.group(2)), m.group(3)), periods);
    collect(MONTH_YEAR, rest, m -> new Period(Integer.parseInt(m.group(2)), MONTHS.get(m.group(1)), 0), periods);
    collect(IN_MONTH, rest, m -> new Period(0, MONTHS.get(m.group(1)), 0), periods);
    return periods;
  }

  private static Period day(String year, int month, String day) {
    int d = Integer.parseInt(day);
    return month >= 1 && month <= 12 && d >= 1 && d <= 31 ? new Period(Integer.parseInt(year), month, d) : null;
  }

  private interface Reading {
    Period read(Matcher match);
  }

  /** Reads every match, then blanks it out so that a broader pattern does not read the same words again. */
  private static void collect(Pattern pattern, StringBuilder text, Reading reading, List<Period> periods) {
    Matcher match = pattern.matcher(text);
    List<int[]> spans = new ArrayList<>();
    while (match.find()) {
      Period period = reading.read(match);
      if (period != null) {
        periods.add(period);
      }
      spans.add(new int[] {match.start(), match.end()});
    }
    for (int[] span : spans) {
      for (int i = span[0]; i < span[1]; i++) {
        text.setCharAt(i, ' ');
      }
    }
  }

  private static Map<String, Integer> months() {
    String[] names = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
      "october", "november", "december"};
    Map<String, Integer> months = new java.util.HashMap<>();
    for (int i = 0; i < names.length; i++) {
      months.put(names[i], i + 1);
      months.put(names[i].substring(0, 3), i + 1);
    }
    months.put("sept", 9);
    return Map.copyOf(months);
  }
}
