package dev.memgate.mcp.tools;

import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The two shapes of a {@code tools/call} result. Success carries the JSON twice: as {@code structuredContent} for
 * clients that read output schemas, and as text for older ones. Failure is a result too, with {@code isError:true}
 * and the memory service's own explanation, so the model sees what to correct; it carries no structured content,
 * which would have to match the output schema.
 */
final class ToolResults {
  private ToolResults() {
  }

  static JsonObject success(JsonObject structured) {
    return new JsonObject()
      .put("content", new JsonArray().add(text(structured.encode())))
      .put("structuredContent", structured);
  }

  static JsonObject error(String message) {
    return new JsonObject()
      .put("content", new JsonArray().add(text(message)))
      .put("isError", true);
  }

  /** The service's detail, naming the argument at fault; failures of a dependency also say that it is one. */
  static JsonObject error(BusFailure failure) {
    String detail = failure.detail() == null ? failure.error().title() : failure.detail();
    String message = switch (failure.error()) {
      case BAD_INPUT, NOT_FOUND, CONFLICT, TOO_LARGE, UNPROCESSABLE, UNAUTHORIZED, FORBIDDEN -> detail;
      case TOO_MANY_REQUESTS -> failure.error().title() + ": " + detail;
      case UNAVAILABLE, TIMEOUT -> failure.error().title() + (failure.dependency() == null ? ""
        : " (" + failure.dependency() + ")") + ": " + detail + ". Try again shortly.";
      case INTERNAL -> BusError.INTERNAL.title() + ": " + detail;
    };
    return error(message);
  }

  private static JsonObject text(String text) {
    return new JsonObject().put("type", "text").put("text", text);
  }
}
