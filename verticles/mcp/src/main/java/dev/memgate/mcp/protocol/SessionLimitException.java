package dev.memgate.mcp.protocol;

/**
 * A session that may not open now: its address holds as many standing connections as it may (429), or every
 * session of the server is held by a connection and none can make room (503). No stack trace: it is an answer.
 */
public final class SessionLimitException extends RuntimeException {
  private final int status;

  SessionLimitException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /** The HTTP status that says it: 429 (this client holds too much) or 503 (the server is full). */
  public int status() {
    return status;
  }
}
