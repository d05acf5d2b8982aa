package dev.memgate.contract;

import io.vertx.core.VertxException;

/** Fails a future with a typed {@link BusFailure}; no stack trace, because it is an expected outcome. */
public final class BusFailureException extends VertxException {
  private final BusFailure failure;

  public BusFailureException(BusFailure failure) {
    super(failure.detail(), true);
    this.failure = failure;
  }

  public BusFailure failure() {
    return failure;
  }
}
