package dev.memgate.memory.add;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Turns an add request into stored memories and mem0's reply {@code {"results":[{id, memory, event, ...}]}}.
 *
 * <p>{@link VerbatimAdd} stores each message as it is. The LLM pipeline (fact extraction, then an
 * ADD/UPDATE/DELETE/NONE decision against similar memories) is the other implementation; the memory service
 * chooses between them per request, so nothing else changes when an LLM is configured.
 */
public interface AddPipeline {
  Future<JsonObject> add(AddRequest request);
}
