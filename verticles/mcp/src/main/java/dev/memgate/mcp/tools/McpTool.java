package dev.memgate.mcp.tools;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One tool a model can call. It receives arguments that already match its input schema, forwards them to the
 * memory service, and answers with the structured result its output schema describes. A failed future carrying a
 * {@code BusFailureException} becomes a tool result with {@code isError:true} and the service's own explanation.
 */
public interface McpTool {

  ToolSpec spec();

  Future<JsonObject> call(ToolCall call);
}
