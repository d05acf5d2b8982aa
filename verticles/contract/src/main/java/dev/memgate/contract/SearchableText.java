package dev.memgate.contract;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * What search sees of a memory, as opposed to the {@code memory} text, which stays exactly what the user sent.
 * Questions about a memory name the person ("What did Caroline research?") and often the time ("in May 2023"),
 * while the memory itself says "I" and "yesterday"; so search sees who said it and when:
 * <ul>
 *   <li>{@link #forEmbedding}: {@code "Caroline: I went to a support group yesterday"}. The vector is computed from
 *   this (by the memory service, at add and update time).</li>
 *   <li>{@link #forKeywords}: {@code "[8 May 2023] Caroline: I went to a support group yesterday"}. Every store
 *   indexes this for keyword (BM25) search.</li>
 * </ul>
 * The date goes to the keyword index only: as words it lets "in May 2023" match exactly, while in the embedded text
 * it pulled every memory of a day towards each other and cost the vector ranking more than it gained (LoCoMo's
 * tuning conversations: R@10 62.5 % without it, 60.2 % with it; see the README's retrieval section).
 *
 * <p>Both are composed here, from a memory's speaker ({@code actor_id}) and {@code created_at} (the time it was
 * added, or the time the add's {@code timestamp} says it refers to), which never change after the add: a memory's
 * vector and its keywords therefore always describe the same memory, and an update of its metadata never makes
 * them stale.
 */
public final class SearchableText {
  /** Recorded by stores: vectors and indexes built with another composition must not be mixed with these. */
  public static final String VERSION = "2";

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
    .withZone(ZoneOffset.UTC);

  private SearchableText() {
  }

  /**
   * @param text    the memory as the user sent it
   * @param actorId who said it (a message's {@code name}), or null
   */
  public static String forEmbedding(String text, String actorId) {
    return actorId == null || actorId.isBlank() ? text : actorId.strip() + ": " + text;
  }

  /**
   * @param text      the memory as the user sent it
   * @param actorId   who said it, or null
   * @param createdAt the ISO-8601 instant the memory refers to, or null
   */
  public static String forKeywords(String text, String actorId, String createdAt) {
    String date = date(createdAt);
    String spoken = forEmbedding(text, actorId);
    return date == null ? spoken : "[" + date + "] " + spoken;
  }

  private static String date(String createdAt) {
    if (createdAt == null) {
      return null;
    }
    try {
      return DATE.format(Instant.parse(createdAt));
    } catch (DateTimeParseException unparsable) {
      return null;
    }
  }
}
