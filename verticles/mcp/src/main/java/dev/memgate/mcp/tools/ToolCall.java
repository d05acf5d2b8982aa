package dev.memgate.mcp.tools;

import dev.memgate.access.Caller;
import dev.memgate.contract.MemoryBus;
import io.vertx.core.json.JsonObject;

/**
 * A tool invocation: the model's arguments (already checked against the input schema) and who it acts for. The
 * user comes from the session, never from the arguments.
 *
 * @param arguments  the tool's arguments
 * @param userId     the session's user
 * @param clientName the client app (OpenMemory path or clientInfo.name), or null
 * @param caller     who the session's credential stands for
 */
public record ToolCall(JsonObject arguments, String userId, String clientName, Caller caller) {

  /** The memory service's request, with the caller it is made for: the service keeps it to its permissions. */
  public JsonObject asCaller(JsonObject request) {
    return request.put(MemoryBus.CALLER, caller.toJson());
  }
}
