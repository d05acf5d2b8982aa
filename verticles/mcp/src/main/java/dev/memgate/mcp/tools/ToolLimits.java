package dev.memgate.mcp.tools;

import dev.memgate.contract.RequiredConfig;
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
 * @param defaultSearchLimit results of a search that gives no limit
 * @param defaultListLimit   memories of a list that gives no limit
 */
public record ToolLimits(int maxTextChars, int maxQueryChars, int maxIdChars, int maxLimit, int defaultSearchLimit,
                         int defaultListLimit) {

  /** Reads the keys {@link #toJson()} writes, all required. */
  public static ToolLimits from(RequiredConfig config) {
    return new ToolLimits(
      config.integer("max_text_chars"),
      config.integer("max_query_chars"),
      config.integer("max_id_chars"),
      config.integer("max_limit"),
      config.integer("default_search_limit"),
      config.integer("default_list_limit"));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("max_text_chars", maxTextChars)
      .put("max_query_chars", maxQueryChars)
      .put("max_id_chars", maxIdChars)
      .put("max_limit", maxLimit)
      .put("default_search_limit", defaultSearchLimit)
      .put("default_list_limit", defaultListLimit);
  }
}
