package dev.memgate.graph.extract;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * Entity and relation names as they are stored: NFKC, lower case, trimmed, quotes and end punctuation dropped, runs
 * of spaces, hyphens and underscores turned into one underscore (mem0's "new_york_city"). "I", "me", "my" and their
 * kin name the scope's own user.
 */
public final class Names {
  private static final Set<String> SELF = Set.of("i", "me", "my", "mine", "myself", "user", "the_user", "i_am",
    "self", "the_speaker", "speaker");
  private static final int MAX_CHARS = 200;

  private Names() {
  }

  /** The stored form of a name, or null when nothing is left. */
  public static String normalize(String raw) {
    if (raw == null) {
      return null;
    }
    String text = Normalizer.normalize(raw, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).strip();
    text = text.replaceAll("[\\p{Cntrl}]", " ")
      .replaceAll("^[\\s\"'`“”‘’.,;:!?()\\[\\]{}]+|[\\s\"'`“”‘’.,;:!?()\\[\\]{}]+$", "")
      .replaceAll("[\\s_\\-]+", "_");
    if (text.length() > MAX_CHARS) {
      text = text.substring(0, MAX_CHARS);
    }
    return text.isEmpty() ? null : text;
  }

  /** A relation name: normalised, and only letters, digits and underscores kept (it is shown, never a type). */
  public static String relation(String raw) {
    String name = normalize(raw);
    if (name == null) {
      return null;
    }
    name = name.replaceAll("[^\\p{L}\\p{N}_]", "").replaceAll("_+", "_").replaceAll("^_|_$", "");
    return name.isEmpty() ? null : name;
  }

  /** Whether a normalised name stands for the speaking user. */
  public static boolean isSelf(String name) {
    return name != null && SELF.contains(name);
  }

  /** The name as words, for embeddings and keyword search: "new_york_city" → "new york city". */
  public static String words(String name) {
    return name.replace('_', ' ');
  }
}
