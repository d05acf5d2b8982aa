package dev.memgate.access;

/**
 * Why a credential was refused, said so that a client can fix it and an attacker learns nothing: 401 when the
 * credential is missing, unknown, revoked or expired (all alike); 403 when it is valid but may not do this (a paused
 * app, another user's memories, a permission it lacks).
 *
 * @see Authenticator
 */
public final class AccessDenied extends RuntimeException {
  private final int status;

  public AccessDenied(int status, String message) {
    super(message, null, false, false);
    if (status != 401 && status != 403) {
      throw new IllegalArgumentException("access is denied with 401 or 403, not " + status);
    }
    this.status = status;
  }

  public static AccessDenied unauthenticated(String message) {
    return new AccessDenied(401, message);
  }

  public static AccessDenied forbidden(String message) {
    return new AccessDenied(403, message);
  }

  public int status() {
    return status;
  }
}
