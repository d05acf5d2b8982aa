package dev.memgate.graph;

import dev.memgate.graph.extract.Extraction;
import dev.memgate.graph.extract.Names;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which of an add's memories a relation came from, so that deleting a memory takes its relations with it: the
 * memories whose words include the relation's destination (else its source, when that is not the user); when no
 * memory names either, every memory of the add.
 */
final class Attribution {
  private Attribution() {
  }

  static List<String> sources(Extraction.Relation relation, JsonArray memories, String self) {
    List<String> all = new ArrayList<>();
    List<String> byDestination = new ArrayList<>();
    List<String> bySource = new ArrayList<>();
    for (Object raw : memories) {
      JsonObject memory = (JsonObject) raw;
      String id = memory.getString("id");
      Set<String> words = words(memory.getString("memory", ""));
      all.add(id);
      if (words.containsAll(words(Names.words(relation.destination())))) {
        byDestination.add(id);
      }
      if (!relation.source().equals(self) && words.containsAll(words(Names.words(relation.source())))) {
        bySource.add(id);
      }
    }
    return !byDestination.isEmpty() ? byDestination : !bySource.isEmpty() ? bySource : all;
  }

  private static Set<String> words(String text) {
    Set<String> words = new HashSet<>(Arrays.asList(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")));
    words.remove("");
    return words;
  }
}
