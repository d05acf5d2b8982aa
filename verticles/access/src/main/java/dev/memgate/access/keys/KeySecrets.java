package dev.memgate.access.keys;

import dev.memgate.access.StoredKeyShape;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Makes and checks key secrets: {@code mgk_<id>_<secret>}, where the id (12 base32 characters) finds the stored key
 * in one lookup and the secret is 256 bits from the system's strong random source. Only the SHA-256 of the whole
 * string is stored.
 */
public final class KeySecrets {
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeySecrets() {
  }

  public static String newId() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    StringBuilder id = new StringBuilder(12);
    for (byte b : bytes) {
      id.append(BASE32[(b & 0xff) % 32]);
    }
    return id.toString();
  }

  /** A new secret for the key with this id: shown once to whoever created it. */
  public static String newSecret(String id) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return StoredKeyShape.PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The id a presented key names, or null when it is not shaped like one. */
  public static String idOf(String credential) {
    if (credential == null || !StoredKeyShape.looksLikeKey(credential)) {
      return null;
    }
    int end = credential.indexOf('_', StoredKeyShape.PREFIX.length());
    return credential.substring(StoredKeyShape.PREFIX.length(), end);
  }

  public static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Constant time: how much of a guess was right must not show in how long the answer takes. */
  public static boolean matches(String credential, String storedHash) {
    return storedHash != null && MessageDigest.isEqual(hash(credential).getBytes(StandardCharsets.US_ASCII),
      storedHash.getBytes(StandardCharsets.US_ASCII));
  }
}
