package dev.memgate.contract;

/**
 * A verticle's configuration lacks a key it needs, or holds a value of the wrong type there: a fault of the
 * composition root (or of a test), never of the user, whose settings were checked before. Its message is one stable
 * line naming the key: {@code graph verticle: configuration key "store" is missing}.
 */
public final class ConfigKeyException extends IllegalArgumentException {
  private final String key;

  ConfigKeyException(String owner, String key, String problem) {
    super(owner + ": configuration key \"" + key + "\" " + problem);
    this.key = key;
  }

  /** The key at fault, with its path ({@code limits.max_text_chars}). */
  public String key() {
    return key;
  }
}
