package dev.memgate.llm.providers;

import dev.memgate.llm.ChatRequest;
import dev.memgate.llm.ChatResult;
import dev.memgate.remote.HttpOutcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Ollama's {@code POST /api/chat} without streaming. Structured output goes in {@code format} as a JSON schema
 * (Ollama constrains decoding to it); the reply's {@code message.content} is then read as JSON, tolerantly.
 */
public final class OllamaChat extends HttpChatProvider {

  public OllamaChat(Vertx vertx, String baseUrl, String model) {
    super(vertx, baseUrl, model);
  }

  @Override
  public String name() {
    return "ollama";
  }

  @Override
  public Future<ChatResult> chat(ChatRequest request, long timeoutMs) {
    JsonArray messages = new JsonArray();
    if (!request.system().isEmpty()) {
      messages.add(new JsonObject().put("role", "system").put("content", request.system()));
    }
    request.messages().forEach(m -> messages.add(new JsonObject().put("role", m.role()).put("content", m.content())));
    JsonObject body = new JsonObject()
      .put("model", model)
      .put("messages", messages)
      .put("stream", false)
      .put("options", new JsonObject().put("temperature", request.temperature())
        .put("num_predict", request.maxTokens()));
    if (request.output() != null) {
      body.put("format", request.output().schema());
    }
    return post("/api/chat", timeoutMs).sendJsonObject(body).compose(HttpOutcome::json).map(reply -> {
      JsonObject message = reply.getJsonObject("message");
      if (message == null || message.getString("content") == null) {
        throw unexpected("message.content");
      }
      String content = message.getString("content");
      boolean truncated = "length".equals(reply.getString("done_reason"));
      JsonObject json = request.output() == null ? null : readJson(content, truncated);
      return new ChatResult(json, content, tokens(reply, "prompt_eval_count"), tokens(reply, "eval_count"),
        reply.getString("model", model));
    });
  }
}
