package dev.memgate.mcp.tools;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.Fields;
import dev.memgate.contract.GraphBus;
import dev.memgate.contract.MemoryBus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code search_graph(query, as_of?, include_invalidated?)}: the relations between the things the user talks about
 * that matter for a query, as the memory service's search finds them beside the memories.
 */
final class SearchGraphTool implements McpTool {
  private final BusClient bus;
  private final ToolLimits limits;

  SearchGraphTool(BusClient bus, ToolLimits limits) {
    this.bus = bus;
    this.limits = limits;
  }

  @Override
  public ToolSpec spec() {
    return new ToolSpec("search_graph", "Search the memory graph",
      "Find how the people, places and things the user talks about relate (for example who works where, who is "
        + "whose sister, where someone lives), best matches first. Relations that stopped being true are left out "
        + "unless include_invalidated is set; as_of asks what was true at a past date.",
      Schemas.arguments(new JsonObject()
          .put("query", Schemas.text("What to look for, in plain words.", limits.maxQueryChars()))
          .put(GraphBus.AS_OF, Schemas.string("An ISO date or timestamp (2024-05-01): what was true then."))
          .put(GraphBus.INCLUDE_INVALIDATED, Schemas.type("boolean")
            .put("description", "Also return relations that were later contradicted, with their validity.")),
        "query"),
      Schemas.output(new JsonObject().put(GraphBus.RELATIONS, Schemas.arrayOf(Schemas.output(new JsonObject()
          .put("source", Schemas.type("string"))
          .put("relationship", Schemas.type("string"))
          .put("destination", Schemas.type("string"))
          .put("valid_from", Schemas.nullable("string"))
          .put("score", Schemas.type("number")),
        "source", "relationship", "destination"))),
        GraphBus.RELATIONS),
      ToolAnnotations.READ_ONLY);
  }

  @Override
  public Future<JsonObject> call(ToolCall call) {
    JsonObject request = new JsonObject()
      .put(Fields.QUERY, call.arguments().getValue(Fields.QUERY))
      .put(Fields.USER_ID, call.userId())
      .put(Fields.LIMIT, 1);
    for (String option : new String[] {GraphBus.AS_OF, GraphBus.INCLUDE_INVALIDATED}) {
      if (call.arguments().containsKey(option)) {
        request.put(option, call.arguments().getValue(option));
      }
    }
    return bus.request(MemoryBus.SEARCH, call.asCaller(request), MemoryBus.TIMEOUT_MS).map(reply -> new JsonObject()
      .put(GraphBus.RELATIONS, reply.getJsonArray(GraphBus.RELATIONS, new JsonArray())));
  }
}
