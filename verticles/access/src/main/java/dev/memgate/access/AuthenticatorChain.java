package dev.memgate.access;

import io.vertx.core.Future;

/**
 * The authenticators a listener asks, chosen by the credential's shape so that each credential is checked once:
 * the operator's bootstrap key, then Memgate keys ({@value StoredKeyShape#PREFIX}...), then tokens of an external
 * authorization server (JSON Web Tokens). With none configured, no credential is asked for and every request is
 * {@link Caller#OPEN}: the composition root allows that only on loopback, or when the operator says so.
 */
public final class AuthenticatorChain implements Authenticator {
  private final BootstrapKey bootstrap;
  private final Authenticator keys;
  private final Authenticator tokens;

  /**
   * @param bootstrap the operator's key, or null
   * @param keys      the stored keys, or null
   * @param tokens    an external authorization server's tokens, or null
   */
  public AuthenticatorChain(BootstrapKey bootstrap, Authenticator keys, Authenticator tokens) {
    this.bootstrap = bootstrap;
    this.keys = keys;
    this.tokens = tokens;
  }

  public static AuthenticatorChain open() {
    return new AuthenticatorChain(null, null, null);
  }

  /** False when nothing is configured: then no request needs a credential. */
  public boolean requiresCredential() {
    return bootstrap != null || keys != null || tokens != null;
  }

  @Override
  public Future<Caller> authenticate(String credential) {
    if (!requiresCredential()) {
      return Future.succeededFuture(Caller.OPEN);
    }
    if (credential == null || credential.isEmpty()) {
      return Future.failedFuture(AccessDenied.unauthenticated("no credential"));
    }
    if (bootstrap != null && bootstrap.matches(credential)) {
      return Future.succeededFuture(Caller.BOOTSTRAP);
    }
    if (keys != null && StoredKeyShape.looksLikeKey(credential)) {
      return keys.authenticate(credential);
    }
    if (tokens != null && StoredKeyShape.looksLikeJwt(credential)) {
      return tokens.authenticate(credential);
    }
    return Future.failedFuture(AccessDenied.unauthenticated("unknown credential"));
  }
}
