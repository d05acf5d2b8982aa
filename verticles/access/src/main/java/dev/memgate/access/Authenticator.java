package dev.memgate.access;

import io.vertx.core.Future;

/**
 * Turns a presented credential into the {@link Caller} it stands for. Listeners ask one before they read a
 * request's body, so an unauthenticated client cannot make Memgate buffer anything.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * @param credential the secret the request presented (see {@link Credentials#presented}), never null
   * @return the caller, or a future failed with {@link AccessDenied}
   */
  Future<Caller> authenticate(String credential);
}
