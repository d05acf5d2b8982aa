package dev.memgate.mcp.tools;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.Fields;
import dev.memgate.contract.MemoryBus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** OpenMemory's {@code add_memories(text, infer?)}: stores what the user shared, for the session's user. */
final class AddMemoriesTool implements McpTool {
  /** Metadata key naming the client app that stored a memory, as OpenMemory records it. */
  static final String CLIENT_METADATA = "mcp_client";

  private final BusClient bus;
  private final ToolLimits limits;
  private final long timeoutMs;

  /** @param timeoutMs how long to wait for the memory service: the REST edge's wait for an add, computed once */
  AddMemoriesTool(BusClient bus, ToolLimits limits, long timeoutMs) {
    this.bus = bus;
    this.limits = limits;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public ToolSpec spec() {
    return new ToolSpec("add_memories", "Remember",
      "Store a new memory about the user. Call this whenever the user shares something lasting about themselves "
        + "(preferences, plans, relationships, work, health, ongoing projects) or asks you to remember something. "
        + "Give one self-contained fact in the user's own words. Never store secrets such as passwords or keys.",
      Schemas.arguments(new JsonObject()
          .put(Fields.TEXT, Schemas.text("What to remember, e.g. \"Prefers dark roast coffee\".",
            limits.maxTextChars()))
          .put("infer", Schemas.type("boolean").put("description", "Let Memgate's language model extract and "
            + "reconcile facts (default true). Without a model configured the text is stored as given.")),
        Fields.TEXT),
      Schemas.output(new JsonObject()
          .put("results", Schemas.arrayOf(Schemas.output(new JsonObject()
              .put("id", Schemas.type("string"))
              .put("memory", Schemas.type("string"))
              .put("event", Schemas.type("string").put("enum", new io.vertx.core.json.JsonArray()
                .add("ADD").add("UPDATE").add("DELETE").add("NONE")))
              .put("previous_memory", Schemas.nullable("string"))
              .put("actor_id", Schemas.type("string"))
              .put("role", Schemas.type("string")),
            "id", "memory", "event")))
          .put("inferred", Schemas.type("boolean"))
          .put("reason", Schemas.type("string")),
        "results"),
      ToolAnnotations.write(false, false));
  }

  @Override
  public Future<JsonObject> call(ToolCall call) {
    JsonObject request = new JsonObject()
      .put(Fields.MESSAGES, call.arguments().getValue(Fields.TEXT))
      .put(Fields.USER_ID, call.userId());
    if (call.arguments().containsKey(Fields.INFER)) {
      request.put(Fields.INFER, call.arguments().getValue(Fields.INFER));
    }
    if (call.clientName() != null) {
      request.put(Fields.METADATA, new JsonObject().put(CLIENT_METADATA, call.clientName()));
    }
    return bus.<JsonObject>request(MemoryBus.ADD, call.asCaller(request), timeoutMs)
      .recover(AddMemoriesTool::inTextTerms);
  }

  /**
   * The service checks the text as mem0's {@code messages}; this tool's argument is {@code text}, so a complaint
   * about messages is told in those terms.
   */
  private static Future<JsonObject> inTextTerms(Throwable error) {
    BusFailure failure = BusFailure.from(error);
    if (failure.field() == null || !failure.field().startsWith(Fields.MESSAGES)) {
      return Future.failedFuture(error);
    }
    String detail = failure.detail() != null && failure.detail().startsWith(Fields.MESSAGES)
      ? Fields.TEXT + failure.detail().substring(Fields.MESSAGES.length()) : failure.detail();
    return Future.failedFuture(new BusFailure(failure.error(), detail, Fields.TEXT, failure.dependency())
      .toException());
  }
}
