package dev.memgate.ratelimit;

/**
 * What spending one token answered: whether the request may go on, and what the client is told about where it
 * stands, in the structured-field form of draft-ietf-httpapi-ratelimit-headers (revision 10):
 * {@code RateLimit-Policy: "writes";q=60;w=60} (the bucket holds 60 and refills them in 60 seconds) and
 * {@code RateLimit: "writes";r=12;t=5} (12 left, full again in 5 seconds).
 *
 * @param allowed           whether the token was there (and is now spent)
 * @param budget            the budget it was taken from
 * @param rate              that bucket's rate
 * @param remaining         whole tokens left after this request
 * @param resetSeconds      seconds until the bucket is full again (rounded up)
 * @param retryAfterSeconds when refused, seconds until a token is there (rounded up, at least 1); 0 when allowed
 */
public record Decision(boolean allowed, Budget budget, Rate rate, long remaining, long resetSeconds,
                       long retryAfterSeconds) {
  public static final String POLICY_HEADER = "RateLimit-Policy";
  public static final String STATE_HEADER = "RateLimit";
  public static final String RETRY_AFTER_HEADER = "Retry-After";

  /** The {@code RateLimit-Policy} field value. */
  public String policy() {
    return "\"" + budget.wireName() + "\";q=" + rate.capacity() + ";w=" + rate.windowSeconds();
  }

  /** The {@code RateLimit} field value. */
  public String state() {
    return "\"" + budget.wireName() + "\";r=" + remaining + ";t=" + resetSeconds;
  }

  /** What a refused client reads: which budget, its size, and when to come back. */
  public String refusal() {
    return "rate limit of " + budget.wireName() + " exceeded: " + rate.perMinute() + " a minute, bursts of up to "
      + rate.capacity() + "; retry in " + retryAfterSeconds + " s";
  }
}
