package dev.memgate.memory.add;

import java.util.Locale;

/** Cleaning and comparing the texts a model writes, before they become memories. */
final class FactText {
  private FactText() {
  }

  /**
   * The text as it can be stored: stripped, without NUL or lone surrogates (which no store keeps), cut to the size
   * limit; null when nothing is left.
   */
  static String clean(Object raw, int maxChars) {
    if (!(raw instanceof String text)) {
      return null;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        continue;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          out.append(c).append(text.charAt(++i));
        }
        continue;
      }
      if (Character.isLowSurrogate(c)) {
        continue;
      }
      out.append(c);
    }
    String stripped = out.toString().strip();
    if (stripped.isEmpty()) {
      return null;
    }
    if (stripped.length() > maxChars) {
      int end = maxChars;
      if (Character.isLowSurrogate(stripped.charAt(end))) {
        end--;
      }
      stripped = stripped.substring(0, end).strip();
    }
    return stripped;
  }

  /** Two texts say the same when they differ only in case, spacing and a final full stop. */
  static String normalized(String text) {
    String lower = text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    while (lower.endsWith(".") || lower.endsWith("!")) {
      lower = lower.substring(0, lower.length() - 1).strip();
    }
    return lower;
  }
}
