package dev.memgate.memory.add;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The system prompts of the pipeline: our own texts under {@code prompts/} on the class path, each replaceable by
 * configuration (mem0's {@code custom_fact_extraction_prompt} and {@code custom_update_memory_prompt}). A
 * {@code {today}} placeholder becomes today's date; a custom extraction prompt without it gets the date appended,
 * because relative dates cannot be resolved without it.
 */
public record Prompts(String userFacts, String agentFacts, String updateMemory, String procedural,
                      boolean customExtraction) {

  /** The built-in prompts, with the given overrides (null or blank: keep ours). */
  public static Prompts load(String customFactExtraction, String customUpdateMemory) {
    boolean custom = customFactExtraction != null && !customFactExtraction.isBlank();
    return new Prompts(
      custom ? customFactExtraction : resource("fact_extraction_user.txt"),
      custom ? customFactExtraction : resource("fact_extraction_agent.txt"),
      customUpdateMemory != null && !customUpdateMemory.isBlank() ? customUpdateMemory
        : resource("update_memory.txt"),
      resource("procedural_memory.txt"),
      custom);
  }

  String extraction(boolean agentFacts, LocalDate today) {
    return withDate(agentFacts ? agentFacts() : userFacts(), today);
  }

  String update() {
    return updateMemory;
  }

  String procedural(String requestPrompt, LocalDate today) {
    return withDate(requestPrompt != null && !requestPrompt.isBlank() ? requestPrompt : procedural, today);
  }

  static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }

  private static String withDate(String prompt, LocalDate today) {
    if (prompt.contains("{today}")) {
      return prompt.replace("{today}", today.toString());
    }
    return prompt.strip() + "\n\nToday's date is " + today + ".";
  }

  private static String resource(String name) {
    try (InputStream in = Prompts.class.getClassLoader().getResourceAsStream("prompts/" + name)) {
      if (in == null) {
        throw new IllegalStateException("prompt prompts/" + name + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
