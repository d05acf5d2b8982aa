package dev.memgate.contract;

import java.util.Arrays;

/**
 * Stable failure codes of every bus service. A code is part of the wire contract: names and texts may change,
 * a code never does. The HTTP edge maps a code to its status once, in one place.
 */
public enum BusError {
  BAD_INPUT(4000, 400, "Invalid request"),
  /** No credential, or one Memgate does not know (unknown, revoked, expired: alike on purpose). */
  UNAUTHORIZED(4010, 401, "Unauthorized"),
  /** A valid credential that may not do this: another user's memories, a permission it lacks, a paused app. */
  FORBIDDEN(4030, 403, "Forbidden"),
  NOT_FOUND(4040, 404, "Not found"),
  CONFLICT(4090, 409, "Conflict"),
  TOO_LARGE(4130, 413, "Payload too large"),
  UNPROCESSABLE(4220, 422, "Unprocessable request"),
  /** Over a rate limit; the answer says when to retry. */
  TOO_MANY_REQUESTS(4290, 429, "Too many requests"),
  INTERNAL(5000, 500, "Internal error"),
  UNAVAILABLE(5030, 503, "Dependency unavailable"),
  TIMEOUT(5040, 504, "Dependency timed out");

  private final int code;
  private final int httpStatus;
  private final String title;

  BusError(int code, int httpStatus, String title) {
    this.code = code;
    this.httpStatus = httpStatus;
    this.title = title;
  }

  public int code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String title() {
    return title;
  }

  /** The error of a code, or {@link #INTERNAL} for a code this build does not know. */
  public static BusError ofCode(int code) {
    return Arrays.stream(values()).filter(e -> e.code == code).findFirst().orElse(INTERNAL);
  }
}
