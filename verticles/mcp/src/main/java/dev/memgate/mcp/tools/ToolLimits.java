package dev.memgate.mcp.tools;

import io.vertx.core.json.JsonObject;

/**
 * The memory service's size limits, as the tools' input schemas declare them ({@code maxLength}, {@code maximum}),
 * so that a model sees them before it calls. The service enforces them whichever edge a request came through; the
 * composition root hands the MCP edge the same configured values the service gets.
 *
 * @param maxTextChars  longest memory text
 * @param maxQueryChars longest search query
 * @param maxIdChars    longest memory id (a longer one names no memory)
 * @param maxLimit      largest limit a search or list may ask for
 */
public record ToolLimits(int maxTextChars, int maxQueryChars, int maxIdChars, int maxLimit) {

  /** The memory service's defaults. */
  public static final ToolLimits DEFAULTS = new ToolLimits(16_384, 4_096, 256, 1_000);

  /** Reads {@code max_text_chars}, {@code max_query_chars}, {@code max_id_chars} and {@code max_limit}. */
  public static ToolLimits from(JsonObject json) {
    return new ToolLimits(
      json.getInteger("max_text_chars", DEFAULTS.maxTextChars()),
      json.getInteger("max_query_chars", DEFAULTS.maxQueryChars()),
      json.getInteger("max_id_chars", DEFAULTS.maxIdChars()),
      json.getInteger("max_limit", DEFAULTS.maxLimit()));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("max_text_chars", maxTextChars)
      .put("max_query_chars", maxQueryChars)
      .put("max_id_chars", maxIdChars)
      .put("max_limit", maxLimit);
  }
}
