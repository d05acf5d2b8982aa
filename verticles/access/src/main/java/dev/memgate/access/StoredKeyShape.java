package dev.memgate.access;

/**
 * What a credential looks like, so that the chain asks the one authenticator that can know it: Memgate keys are
 * {@code mgk_<id>_<secret>} (the id finds the stored hash in one lookup, the secret is checked against it), and a
 * JSON Web Token is three base64url parts joined by dots.
 */
public final class StoredKeyShape {
  public static final String PREFIX = "mgk_";

  private StoredKeyShape() {
  }

  public static boolean looksLikeKey(String credential) {
    return credential.startsWith(PREFIX) && credential.indexOf('_', PREFIX.length()) > PREFIX.length();
  }

  public static boolean looksLikeJwt(String credential) {
    int first = credential.indexOf('.');
    int second = first < 0 ? -1 : credential.indexOf('.', first + 1);
    return first > 0 && second > first + 1 && credential.indexOf('.', second + 1) < 0
      && credential.chars().allMatch(c -> c == '.' || c == '-' || c == '_' || Character.isLetterOrDigit(c));
  }
}
