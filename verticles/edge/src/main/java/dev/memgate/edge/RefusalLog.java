package dev.memgate.edge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One short line per refused request (no stack trace, no body, never a header value that could carry a secret),
 * and at most a few lines a second whatever a client sends: a client that sends a million bad requests must not be
 * able to fill the disk. Lines over the budget are counted, and the next line that is written says how many were
 * left out. Thread-safe: every listener's event loops share one budget.
 */
public final class RefusalLog {
  private static final Logger LOG = LoggerFactory.getLogger("memgate.refused");
  /** Lines a second once the burst is spent, and the burst. */
  private static final double LINES_PER_SECOND = 5;
  private static final double BURST = 20;

  private static final RefusalLog SHARED = new RefusalLog();

  private double tokens = BURST;
  private long lastRefillNanos = System.nanoTime();
  private long suppressed;

  RefusalLog() {
  }

  /** The budget every listener of this process shares. */
  public static RefusalLog shared() {
    return SHARED;
  }

  /**
   * Logs (at INFO) that a request was refused, unless the budget is spent.
   *
   * @param surface "rest", "mcp", ...
   * @param from    the client address
   * @param what    the method and path, or the JSON-RPC method (never a query string: it may hold ids or keys)
   * @param status  the status or error code answered
   * @param reason  a short reason, written by us (never text a client chose)
   */
  public void refused(String surface, String from, String what, int status, String reason) {
    long left;
    synchronized (this) {
      long now = System.nanoTime();
      tokens = Math.min(BURST, tokens + (now - lastRefillNanos) / 1e9 * LINES_PER_SECOND);
      lastRefillNanos = now;
      if (tokens < 1) {
        suppressed++;
        return;
      }
      tokens -= 1;
      left = suppressed;
      suppressed = 0;
    }
    if (LOG.isInfoEnabled()) {
      LOG.info("refused {} {} from {}: {} {}{}", surface, clip(what), from, status, clip(reason),
        left > 0 ? " (" + left + " more refusals not logged)" : "");
    }
  }

  /** Keeps a line short and on one line whatever it is given. */
  static String clip(String text) {
    if (text == null) {
      return "";
    }
    String oneLine = text.replaceAll("[\\p{Cntrl}]", " ");
    return oneLine.length() <= 160 ? oneLine : oneLine.substring(0, 157) + "...";
  }
}
