package dev.memgate.mcp.tools;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.Fields;
import dev.memgate.contract.MemoryBus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** OpenMemory's {@code search_memory(query, limit?)}: the user's memories closest in meaning, best first. */
final class SearchMemoryTool implements McpTool {
  private final BusClient bus;
  private final ToolLimits limits;
  private final JsonObject memoryItem;

  SearchMemoryTool(BusClient bus, ToolLimits limits, JsonObject memoryItem) {
    this.bus = bus;
    this.limits = limits;
    this.memoryItem = memoryItem;
  }

  @Override
  public ToolSpec spec() {
    return new ToolSpec("search_memory", "Search memories",
      "Search the user's memories by meaning. Call this before answering anything that may depend on who the user "
        + "is or what they said before (preferences, history, projects, people, plans). Returns the best matches "
        + "first, each with a relevance score.",
      Schemas.arguments(new JsonObject()
          .put("query", Schemas.text("What to look for, in plain words.", limits.maxQueryChars()))
          .put("limit", Schemas.limit("Most results to return (default " + limits.defaultSearchLimit() + ").", limits)),
        "query"),
      Schemas.memoryList(memoryItem),
      ToolAnnotations.READ_ONLY);
  }

  @Override
  public Future<JsonObject> call(ToolCall call) {
    JsonObject request = new JsonObject()
      .put(Fields.QUERY, call.arguments().getValue(Fields.QUERY))
      .put(Fields.USER_ID, call.userId());
    if (call.arguments().containsKey(Fields.LIMIT)) {
      request.put(Fields.LIMIT, call.arguments().getValue(Fields.LIMIT));
    }
    return bus.request(MemoryBus.SEARCH, call.asCaller(request), MemoryBus.TIMEOUT_MS);
  }
}
