package dev.memgate.memory;

import dev.memgate.contract.RequiredConfig;

/**
 * Size limits on what a request may ask for; configured in {@code conf/memgate.yaml} ({@code limits.*} and
 * {@code search.default_limit}), with defaults a person would not run into by chance.
 */
public record Limits(int maxTextChars, int maxMessages, int maxIdChars, int maxMetadataBytes, int maxQueryChars,
                     int maxLimit, int defaultSearchLimit, int defaultListLimit) {

  /** Longest id (memory, user, agent, run, actor): not a setting; a longer one names nothing that was stored. */
  public static final int MAX_ID_CHARS = 256;
  /** Memories a list returns when it gives no limit, as mem0's {@code get_all}: not a setting. */
  public static final int DEFAULT_LIST_LIMIT = 100;

  /**
   * Reads {@code max_text_chars}, {@code max_messages}, {@code max_metadata_bytes}, {@code max_query_chars},
   * {@code max_limit} and {@code default_search_limit}, all required.
   */
  public static Limits from(RequiredConfig config) {
    return new Limits(
      config.integer("max_text_chars"),
      config.integer("max_messages"),
      MAX_ID_CHARS,
      config.integer("max_metadata_bytes"),
      config.integer("max_query_chars"),
      config.integer("max_limit"),
      config.integer("default_search_limit"),
      DEFAULT_LIST_LIMIT);
  }
}
