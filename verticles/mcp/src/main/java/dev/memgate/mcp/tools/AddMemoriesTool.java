package dev.memgate.mcp.tools;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.Fields;
import dev.memgate.contract.MemoryBus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** OpenMemory's {@code add_memories(text, infer?)}: stores what the user shared, for the session's user. */
final class AddMemoriesTool implements McpTool {
  /** Metadata key naming the client app that stored a memory, as OpenMemory records it. */
  static final String CLIENT_METADATA = "mcp_client";

  private final BusClient bus;

  AddMemoriesTool(BusClient bus) {
    this.bus = bus;
  }

  @Override
  public ToolSpec spec() {
    return new ToolSpec("add_memories", "Remember",
      "Store a new memory about the user. Call this whenever the user shares something lasting about themselves "
        + "(preferences, plans, relationships, work, health, ongoing projects) or asks you to remember something. "
        + "Give one self-contained fact in the user's own words. Never store secrets such as passwords or keys.",
      Schemas.arguments(new JsonObject()
          .put("text", Schemas.nonEmptyString("What to remember, e.g. \"Prefers dark roast coffee\"."))
          .put("infer", Schemas.type("boolean").put("description", "Let Memgate's language model extract and "
            + "reconcile facts (default true). Without a model configured the text is stored as given.")),
        "text"),
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
      .put(Fields.MESSAGES, call.arguments().getValue("text"))
      .put(Fields.USER_ID, call.userId());
    if (call.arguments().containsKey(Fields.INFER)) {
      request.put(Fields.INFER, call.arguments().getValue(Fields.INFER));
    }
    if (call.clientName() != null) {
      request.put(Fields.METADATA, new JsonObject().put(CLIENT_METADATA, call.clientName()));
    }
    return bus.request(MemoryBus.ADD, request, MemoryBus.TIMEOUT_MS);
  }
}
