package dev.memgate.access;

import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The operator's key from the environment: it stands for {@link Caller#BOOTSTRAP} (every user, every permission),
 * so that the first keys can be created with it. Compared in constant time: how much of a guess was right must not
 * show in how long the answer takes.
 */
public final class BootstrapKey implements Authenticator {
  private final byte[] key;

  public BootstrapKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("a bootstrap key cannot be empty");
    }
    this.key = key.getBytes(StandardCharsets.UTF_8);
  }

  public boolean matches(String credential) {
    return credential != null && MessageDigest.isEqual(key, credential.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Future<Caller> authenticate(String credential) {
    return matches(credential) ? Future.succeededFuture(Caller.BOOTSTRAP)
      : Future.failedFuture(AccessDenied.unauthenticated("unknown credential"));
  }
}
