package dev.memgate.access;

/**
 * A credential could not be checked right now because something it depends on is away: an external authorization
 * server whose keys cannot be fetched. Not the client's fault and not a refusal of the credential, so listeners
 * answer 503 with {@code Retry-After} rather than 401: a client that retries later gets in, and one that holds a
 * Memgate key is not affected at all.
 */
public final class AuthenticationUnavailable extends RuntimeException {

  public AuthenticationUnavailable(String message) {
    super(message, null, false, false);
  }
}
