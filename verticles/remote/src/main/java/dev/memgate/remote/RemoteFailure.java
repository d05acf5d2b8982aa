package dev.memgate.remote;

import io.vertx.core.VertxException;

/**
 * Why one attempt to call a remote provider failed, classified so that the guard knows whether a retry can help
 * and whether the provider's circuit breaker should count it.
 */
public final class RemoteFailure extends VertxException {

  /** What went wrong; only the first four mean "the provider is in trouble". */
  public enum Kind {
    /** Nothing answered: refused, reset, DNS, TLS. */
    CONNECTION(true),
    /** No complete answer within the time left. */
    TIMEOUT(true),
    /** HTTP 429: the provider asks us to slow down. */
    THROTTLED(true),
    /** HTTP 5xx. */
    SERVER(true),
    /** Another 4xx (bad key, unknown model, bad request): a configuration mistake, never retried. */
    REJECTED(false),
    /** The provider answered 2xx with something that cannot be used. */
    UNREADABLE(false);

    private final boolean transient_;

    Kind(boolean transient_) {
      this.transient_ = transient_;
    }

    /** Whether this is the provider's trouble, which a later attempt may not meet. */
    public boolean isTransient() {
      return transient_;
    }
  }

  private final Kind kind;
  private final int status;
  private final Long retryAfterMs;

  public RemoteFailure(Kind kind, int status, Long retryAfterMs, String message) {
    super(message, true);
    this.kind = kind;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }

  public static RemoteFailure of(Kind kind, String message) {
    return new RemoteFailure(kind, 0, null, message);
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status, or 0 when none was received. */
  public int status() {
    return status;
  }

  /** The delay the provider asked for (Retry-After), or null. */
  public Long retryAfterMs() {
    return retryAfterMs;
  }
}
