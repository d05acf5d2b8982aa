package dev.memgate.contract;

/**
 * What every store can keep exactly as given. Text: no NUL (PostgreSQL refuses it), no lone surrogate (not Unicode,
 * so UTF-8 cannot carry it unchanged) and, for identifiers, no control characters. Numbers: finite ones. Shared by
 * request validation and the filter parser, so that both refuse the same values.
 */
public final class Storable {
  private Storable() {
  }

  /** Why the text cannot be kept, worded to follow the field name ("contains a NUL character"), or null if clean. */
  public static String textDefect(String text, boolean identifier) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        return "contains a NUL character";
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return "is not valid Unicode (lone surrogate)";
      }
      if (Character.isLowSurrogate(c)) {
        return "is not valid Unicode (lone surrogate)";
      }
      if (identifier && Character.isISOControl(c)) {
        return "contains a control character";
      }
    }
    return null;
  }

  /**
   * JSON numbers too large for a double (1e400) arrive as infinity, which JSON cannot carry back: the store would
   * keep the text "Infinity" instead of the number given.
   */
  public static boolean isFinite(Number number) {
    return !(number instanceof Double d && !Double.isFinite(d)) && !(number instanceof Float f && !Float.isFinite(f));
  }
}
