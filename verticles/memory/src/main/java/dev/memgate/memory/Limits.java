package dev.memgate.memory;

import io.vertx.core.json.JsonObject;

/** Size limits on what a request may ask for; configurable, with defaults a person would not run into by chance. */
public record Limits(int maxTextChars, int maxMessages, int maxIdChars, int maxMetadataBytes, int maxQueryChars,
                     int maxLimit, int defaultSearchLimit, int defaultListLimit) {

  public static Limits from(JsonObject config) {
    return new Limits(
      config.getInteger("max_text_chars", 16_384),
      config.getInteger("max_messages", 500),
      config.getInteger("max_id_chars", 256),
      config.getInteger("max_metadata_bytes", 16_384),
      config.getInteger("max_query_chars", 4_096),
      config.getInteger("max_limit", 1_000),
      config.getInteger("default_search_limit", 10),
      config.getInteger("default_list_limit", 100));
  }
}
