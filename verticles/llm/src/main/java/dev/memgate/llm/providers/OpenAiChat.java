package dev.memgate.llm.providers;

import dev.memgate.llm.ChatRequest;
import dev.memgate.llm.ChatResult;
import dev.memgate.remote.HttpOutcome;
import dev.memgate.remote.RemoteFailure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Any OpenAI-compatible {@code POST {base}/chat/completions} (OpenAI, vLLM, LM Studio, llama.cpp server,
 * OpenRouter...). Structured output, by {@link Mode}: {@code response_format} with a strict {@code json_schema}
 * (default), plain {@code json_object}, or a forced tool call. A server that refuses {@code json_schema} with a 400
 * naming it is asked again, at once, in {@code json_object} mode, and stays in that mode.
 */
public final class OpenAiChat extends HttpChatProvider {
  private static final Logger LOG = LoggerFactory.getLogger(OpenAiChat.class);

  /** How structured output is asked for. */
  public enum Mode {
    JSON_SCHEMA, JSON_OBJECT, TOOLS;

    public static Mode parse(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }

  private final String apiKey;
  private final boolean officialApi;
  private volatile Mode mode;

  public OpenAiChat(Vertx vertx, String baseUrl, String apiKey, String model, Mode mode) {
    super(vertx, baseUrl, model);
    this.apiKey = apiKey;
    this.mode = mode;
    this.officialApi = this.baseUrl.startsWith("https://api.openai.com");
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public JsonObject describe() {
    return new JsonObject().put("structured_output", mode.name().toLowerCase(Locale.ROOT));
  }

  @Override
  public Future<ChatResult> chat(ChatRequest request, long timeoutMs) {
    long started = System.currentTimeMillis();
    Mode asked = mode;
    return send(request, asked, timeoutMs).recover(err -> {
      if (asked == Mode.JSON_SCHEMA && request.output() != null && err instanceof RemoteFailure failure
        && failure.status() == 400 && failure.getMessage().toLowerCase(Locale.ROOT).matches(
        "(?s).*(response_format|json_schema).*")) {
        mode = Mode.JSON_OBJECT;
        LOG.warn("openai: {} refuses response_format json_schema; using json_object from now on", baseUrl());
        return send(request, Mode.JSON_OBJECT, Math.max(1, timeoutMs - (System.currentTimeMillis() - started)));
      }
      return Future.failedFuture(err);
    });
  }

  private Future<ChatResult> send(ChatRequest request, Mode mode, long timeoutMs) {
    JsonArray messages = new JsonArray();
    String system = request.system();
    if (request.output() != null && mode == Mode.JSON_OBJECT) {
      // json_object only promises some JSON: the shape has to be in the prompt (which must also say "JSON").
      system = system + "\n\nAnswer with one JSON object that follows this JSON schema:\n"
        + request.output().schema().encode();
    }
    if (!system.isEmpty()) {
      messages.add(new JsonObject().put("role", "system").put("content", system));
    }
    request.messages().forEach(m -> messages.add(new JsonObject().put("role", m.role()).put("content", m.content())));
    JsonObject body = new JsonObject().put("model", model).put("messages", messages);
    if (acceptsTemperature()) {
      body.put("temperature", request.temperature());
    }
    // OpenAI itself replaced max_tokens by max_completion_tokens; compatible servers mostly know only max_tokens.
    body.put(officialApi ? "max_completion_tokens" : "max_tokens", request.maxTokens());
    if (request.output() != null) {
      switch (mode) {
        case JSON_SCHEMA -> body.put("response_format", new JsonObject().put("type", "json_schema")
          .put("json_schema", new JsonObject().put("name", request.output().name()).put("strict", true)
            .put("schema", request.output().schema())));
        case JSON_OBJECT -> body.put("response_format", new JsonObject().put("type", "json_object"));
        case TOOLS -> body
          .put("tools", new JsonArray().add(new JsonObject().put("type", "function").put("function", new JsonObject()
            .put("name", request.output().name())
            .put("description", request.output().description())
            .put("parameters", request.output().schema()))))
          .put("tool_choice", new JsonObject().put("type", "function")
            .put("function", new JsonObject().put("name", request.output().name())));
      }
    }
    var http = post("/chat/completions", timeoutMs);
    if (apiKey != null && !apiKey.isBlank()) {
      http.bearerTokenAuthentication(apiKey);
    }
    return http.sendJsonObject(body).compose(HttpOutcome::json).map(reply -> read(request, reply));
  }

  private ChatResult read(ChatRequest request, JsonObject reply) {
    JsonArray choices = reply.getJsonArray("choices");
    if (choices == null || choices.isEmpty()) {
      throw unexpected("choices");
    }
    JsonObject choice = choices.getJsonObject(0);
    JsonObject message = choice.getJsonObject("message");
    if (message == null) {
      throw unexpected("choices[0].message");
    }
    String content = message.getString("content");
    boolean truncated = "length".equals(choice.getString("finish_reason"));
    JsonObject json = null;
    if (request.output() != null) {
      String arguments = toolArguments(message);
      String text = arguments != null ? arguments : content;
      if (text == null && message.getString("refusal") != null) {
        throw RemoteFailure.of(RemoteFailure.Kind.UNREADABLE, "the model refused: " + message.getString("refusal"));
      }
      json = readJson(text, truncated);
    }
    JsonObject usage = reply.getJsonObject("usage");
    return new ChatResult(json, content == null ? "" : content, tokens(usage, "prompt_tokens"),
      tokens(usage, "completion_tokens"), reply.getString("model", model));
  }

  private static String toolArguments(JsonObject message) {
    JsonArray calls = message.getJsonArray("tool_calls");
    if (calls == null || calls.isEmpty()) {
      return null;
    }
    JsonObject function = calls.getJsonObject(0).getJsonObject("function");
    return function == null ? null : function.getString("arguments");
  }

  /** OpenAI's reasoning models refuse any temperature but the default. */
  private boolean acceptsTemperature() {
    String name = model.toLowerCase(Locale.ROOT);
    return !(officialApi && (name.startsWith("o1") || name.startsWith("o3") || name.startsWith("o4")
      || name.startsWith("gpt-5")));
  }
}
