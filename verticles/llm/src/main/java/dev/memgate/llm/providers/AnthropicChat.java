package dev.memgate.llm.providers;

import dev.memgate.llm.ChatRequest;
import dev.memgate.llm.ChatResult;
import dev.memgate.remote.HttpOutcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Anthropic's {@code POST /v1/messages}. Structured output is a forced tool call: one tool whose
 * {@code input_schema} is the wanted schema and {@code tool_choice} naming it, so the reply's {@code tool_use}
 * block carries the JSON already parsed. A text reply instead is read tolerantly.
 */
public final class AnthropicChat extends HttpChatProvider {
  static final String API_VERSION = "2023-06-01";

  private final String apiKey;
  private final String path;

  public AnthropicChat(Vertx vertx, String baseUrl, String apiKey, String model) {
    super(vertx, baseUrl, model);
    this.apiKey = apiKey;
    this.path = this.baseUrl.endsWith("/v1") ? "/messages" : "/v1/messages";
  }

  @Override
  public String name() {
    return "anthropic";
  }

  @Override
  public Future<ChatResult> chat(ChatRequest request, long timeoutMs) {
    JsonArray messages = new JsonArray();
    request.messages().forEach(m -> messages.add(new JsonObject().put("role", m.role()).put("content", m.content())));
    JsonObject body = new JsonObject()
      .put("model", model)
      .put("max_tokens", request.maxTokens())
      .put("temperature", request.temperature())
      .put("messages", messages);
    if (!request.system().isEmpty()) {
      body.put("system", request.system());
    }
    if (request.output() != null) {
      body.put("tools", new JsonArray().add(new JsonObject()
          .put("name", request.output().name())
          .put("description", request.output().description())
          .put("input_schema", request.output().schema())))
        .put("tool_choice", new JsonObject().put("type", "tool").put("name", request.output().name()));
    }
    return post(path, timeoutMs)
      .putHeader("x-api-key", apiKey)
      .putHeader("anthropic-version", API_VERSION)
      .sendJsonObject(body).compose(HttpOutcome::json).map(reply -> {
        JsonArray content = reply.getJsonArray("content");
        if (content == null) {
          throw unexpected("content");
        }
        JsonObject toolInput = null;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
          JsonObject block = content.getJsonObject(i);
          if ("tool_use".equals(block.getString("type")) && block.getValue("input") instanceof JsonObject input) {
            toolInput = toolInput == null ? input : toolInput;
          } else if ("text".equals(block.getString("type"))) {
            text.append(block.getString("text", ""));
          }
        }
        JsonObject json = null;
        if (request.output() != null) {
          json = toolInput != null ? toolInput
            : readJson(text.toString(), "max_tokens".equals(reply.getString("stop_reason")));
        }
        JsonObject usage = reply.getJsonObject("usage");
        return new ChatResult(json, text.toString(), tokens(usage, "input_tokens"), tokens(usage, "output_tokens"),
          reply.getString("model", model));
      });
  }
}
