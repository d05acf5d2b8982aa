package dev.memgate.mcp.tools;

import io.vertx.core.json.JsonObject;

/**
 * A tool invocation: the model's arguments (already checked against the input schema) and who it acts for. The
 * user comes from the session, never from the arguments.
 *
 * @param arguments  the tool's arguments
 * @param userId     the session's user
 * @param clientName the client app (OpenMemory path or clientInfo.name), or null
 */
public record ToolCall(JsonObject arguments, String userId, String clientName) {
}
