package dev.memgate.graph.search;

import dev.memgate.graph.extract.Names;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The names a query may mention without asking an LLM: its words and runs of two or three words, normalised like
 * entity names ("new york" → "new_york"), without runs made only of stop words; "I / me / my" becomes the user.
 */
public final class QueryNames {
  private static final Set<String> STOP = Set.of("a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for",
    "with", "is", "are", "was", "were", "be", "do", "does", "did", "what", "which", "who", "whom", "where", "when",
    "why", "how", "that", "this", "these", "those", "it", "its", "any", "about", "from", "by", "as", "have", "has",
    "had", "can", "could", "should", "would", "will", "there", "their", "them", "they", "you", "your", "we", "our",
    "he", "she", "his", "her", "him", "like", "likes", "know", "tell", "some", "all", "much", "many");
  private static final int MAX_NAMES = 24;

  private QueryNames() {
  }

  public static List<String> of(String query, String self) {
    String[] words = query.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}'’\\-]+");
    List<String> cleaned = new ArrayList<>();
    for (String word : words) {
      String name = Names.normalize(word.replaceAll("['’]s$", ""));
      if (name != null) {
        cleaned.add(name);
      }
    }
    Set<String> names = new LinkedHashSet<>();
    String selfName = Names.normalize(self);
    for (String word : cleaned) {
      if (Names.isSelf(word) || word.equals(selfName)) {
        names.add(self);
      }
    }
    for (int size = 1; size <= 3; size++) {
      for (int start = 0; start + size <= cleaned.size(); start++) {
        List<String> run = cleaned.subList(start, start + size);
        if (skip(run.get(0)) || skip(run.get(run.size() - 1))) {
          continue;
        }
        names.add(String.join("_", run));
        if (names.size() >= MAX_NAMES) {
          return new ArrayList<>(names);
        }
      }
    }
    return new ArrayList<>(names);
  }

  /** Runs never start or end with a stop word or a word for the user (that one is added on its own). */
  private static boolean skip(String word) {
    return STOP.contains(word) || Names.isSelf(word);
  }
}
