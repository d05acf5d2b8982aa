package dev.memgate.gateway.fuzz;

/** Text cut down for a report line: controls escaped, at most so many characters, and how much was left out. */
final class Excerpts {
  private Excerpts() {
  }

  static String of(String text, int max) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 32);
    for (int i = 0; i < text.length() && out.length() < max; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\r' -> out.append("\\r");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || c == '\uFFFD') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (out.length() >= max && text.length() > max) {
      out.append("...(").append(text.length()).append(" chars)");
    }
    return out.toString();
  }
}
