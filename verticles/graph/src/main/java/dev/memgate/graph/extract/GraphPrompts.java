package dev.memgate.graph.extract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** The graph's system prompts, from {@code prompts/} on the class path, with {self} and {today} filled in. */
final class GraphPrompts {
  static final String EXTRACTION = load("graph_extraction.txt");
  static final String CONTRADICTIONS = load("graph_contradictions.txt");
  static final String QUERY_ENTITIES = load("query_entities.txt");

  private GraphPrompts() {
  }

  static String fill(String prompt, String self) {
    return prompt.replace("{self}", self).replace("{today}", LocalDate.now(ZoneOffset.UTC).toString());
  }

  private static String load(String name) {
    try (InputStream in = GraphPrompts.class.getClassLoader().getResourceAsStream("prompts/" + name)) {
      if (in == null) {
        throw new IllegalStateException("prompt prompts/" + name + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
