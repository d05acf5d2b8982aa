package dev.memgate.mcp.transport;

import java.util.Locale;

/** Just enough of HTTP content negotiation for MCP: JSON bodies in, JSON or an event stream out. */
final class MediaTypes {
  static final String EVENT_STREAM = "text/event-stream";

  private MediaTypes() {
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return type.equals("application/json");
  }

  /** True when the Accept header admits JSON (no header admits everything). */
  static boolean acceptsJson(String accept) {
    return accept == null || admits(accept, "application/json", "application/*");
  }

  static boolean acceptsEventStream(String accept) {
    return accept == null || admits(accept, EVENT_STREAM, "text/*");
  }

  private static boolean admits(String accept, String exact, String family) {
    for (String range : accept.toLowerCase(Locale.ROOT).split(",")) {
      String type = range.split(";", 2)[0].strip();
      if (type.equals(exact) || type.equals(family) || type.equals("*/*")) {
        return true;
      }
    }
    return false;
  }
}
