package dev.memgate.access.oidc;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * What a token's JOSE header says, read before any key is looked at: a token that is not a signed JWT in compact
 * form, or that asks for an algorithm Memgate does not accept, is refused without a key lookup (and so without
 * making Memgate fetch keys). Only asymmetric signatures are accepted: {@code none} would need no key at all, and an
 * HMAC algorithm would let anyone who knows a public key forge tokens with it.
 *
 * @param alg the signature algorithm
 * @param kid the key id, or null when the token names none
 */
record TokenHeader(String alg, String kid) {
  static final Set<String> ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
    "ES384", "ES512", "EdDSA");

  /** @return the header, or null when the token is not a JWS Memgate accepts */
  static TokenHeader of(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      return null;
    }
    JsonObject header;
    try {
      header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return null;
    }
    if (!(header.getValue("alg") instanceof String alg) || !ALGORITHMS.contains(alg)) {
      return null;
    }
    // Critical extensions Memgate would have to understand (RFC 7515, 4.1.11): it understands none.
    if (header.containsKey("crit")) {
      return null;
    }
    Object kid = header.getValue("kid");
    if (kid != null && !(kid instanceof String)) {
      return null;
    }
    return new TokenHeader(alg, (String) kid);
  }
}
