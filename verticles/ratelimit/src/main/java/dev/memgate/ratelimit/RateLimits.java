package dev.memgate.ratelimit;

import dev.memgate.contract.RequiredConfig;
import io.vertx.core.json.JsonObject;

/**
 * The {@code rate_limits.*} settings, as the composition root hands them to both listeners (see
 * {@code conf/memgate.yaml}, which documents each).
 *
 * @param enabled       whether anything is limited
 * @param perKey        the budgets of a caller with a credential, per minute (a key's own requests per minute
 *                      overrides them, see {@link #forKey})
 * @param perAddress    the budgets of callers without a credential, per client address, per minute
 * @param burstSeconds  a bucket holds this many seconds of its rate (60: a minute's budget may be spent at once)
 * @param maxTracked    most buckets kept at once (memory bound)
 */
public record RateLimits(boolean enabled, PerMinute perKey, PerMinute perAddress, int burstSeconds, int maxTracked) {

  /**
   * Reads and writes and inferences per minute.
   */
  public record PerMinute(int reads, int writes, int inferences) {
    int of(Budget budget) {
      return switch (budget) {
        case READS -> reads;
        case WRITES -> writes;
        case INFERENCES -> inferences;
      };
    }

    JsonObject toJson() {
      return new JsonObject().put("reads_per_minute", reads).put("writes_per_minute", writes)
        .put("inferences_per_minute", inferences);
    }

    static PerMinute from(RequiredConfig config) {
      return new PerMinute(config.integer("reads_per_minute"), config.integer("writes_per_minute"),
        config.integer("inferences_per_minute"));
    }
  }

  /** Nothing limited: for tools and tests that start a listener without the setting. */
  public static final RateLimits OFF = new RateLimits(false, new PerMinute(1, 1, 1), new PerMinute(1, 1, 1), 60, 1);

  /** Reads the listener configuration's {@code rate_limits} object, as {@link #toJson()} writes it. */
  public static RateLimits from(RequiredConfig config) {
    return new RateLimits(config.flag("enabled"), PerMinute.from(config.section("per_key")),
      PerMinute.from(config.section("per_address")), config.integer("burst_seconds"),
      config.integer("max_tracked"));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("enabled", enabled)
      .put("per_key", perKey.toJson())
      .put("per_address", perAddress.toJson())
      .put("burst_seconds", burstSeconds)
      .put("max_tracked", maxTracked);
  }

  /** The rate of an anonymous caller's budget. */
  Rate forAddress(Budget budget) {
    return Rate.of(perAddress.of(budget), burstSeconds);
  }

  /**
   * The rate of a key's budget: its own requests per minute, when it has one, replace the default reads and writes
   * and cap its inferences (a key limited to 10 requests a minute cannot make 60 inferred adds).
   */
  Rate forKey(Budget budget, Integer ownPerMinute) {
    int perMinute = perKey.of(budget);
    if (ownPerMinute != null && ownPerMinute > 0) {
      perMinute = budget == Budget.INFERENCES ? Math.min(perMinute, ownPerMinute) : ownPerMinute;
    }
    return Rate.of(perMinute, burstSeconds);
  }
}
