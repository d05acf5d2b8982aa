package dev.memgate.gateway.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for the LLM providers, speaking their real wire formats on one port: OpenAI chat completions
 * ({@code POST /v1/chat/completions}: json_schema, json_object and tool calls), Ollama ({@code POST /api/chat}) and
 * Anthropic messages ({@code POST /v1/messages}: tool use), plus OpenAI embeddings ({@code POST /v1/embeddings}:
 * deterministic vectors). Replies come from a script (a function of the call);
 * the server can be switched to misbehave (slow, 500, 429 with Retry-After, garbage, half-JSON, refusing
 * json_schema, a 401 echoing the caller's key), for some calls or until further notice. Every request is recorded
 * with its headers.
 */
public final class FakeLlmServer implements AutoCloseable {

  /** How the server answers. */
  public enum Mode {
    /** The scripted reply. */
    NORMAL,
    /** The scripted reply, after {@link #slowMs}. */
    SLOW,
    /** HTTP 500. */
    SERVER_ERROR,
    /** HTTP 429 with Retry-After: 1. */
    THROTTLED,
    /** HTTP 200 in the provider's format, with prose instead of JSON. */
    GARBAGE,
    /** HTTP 200 with JSON cut off in the middle, as at a token limit. */
    HALF_JSON,
    /** HTTP 400 for response_format json_schema, as servers without structured output answer. */
    NO_JSON_SCHEMA,
    /**
     * HTTP 401 whose body repeats the key and the Authorization header received, as some OpenAI-compatible servers
     * and proxies do: what a provider says must never be relayed as it is.
     */
    UNAUTHORIZED_ECHOING_KEY
  }

  /** One request as received: which provider's route, the headers (names lower-case) and the JSON body. */
  public record Call(String provider, String path, Map<String, String> headers, JsonObject body) {

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The system prompt, wherever the provider puts it. */
    public String system() {
      if (body.getValue("system") instanceof String system) {
        return system;
      }
      for (Object m : body.getJsonArray("messages", new JsonArray())) {
        JsonObject message = (JsonObject) m;
        if ("system".equals(message.getString("role"))) {
          return message.getString("content");
        }
      }
      return "";
    }

    /** The text of the user messages. */
    public String user() {
      StringBuilder text = new StringBuilder();
      for (Object m : body.getJsonArray("messages", new JsonArray())) {
        JsonObject message = (JsonObject) m;
        if ("user".equals(message.getString("role"))) {
          text.append(message.getString("content")).append('\n');
        }
      }
      return text.toString();
    }

    /** The name of the structured output asked for (schema, function or tool name), or null for plain text. */
    public String outputName() {
      JsonObject format = body.getJsonObject("response_format");
      if (format != null && format.getJsonObject("json_schema") != null) {
        return format.getJsonObject("json_schema").getString("name");
      }
      JsonArray tools = body.getJsonArray("tools");
      if (tools != null && !tools.isEmpty()) {
        JsonObject tool = tools.getJsonObject(0);
        return tool.containsKey("function") ? tool.getJsonObject("function").getString("name")
          : tool.getString("name");
      }
      if (body.getValue("format") instanceof JsonObject schema) {
        return schema.getJsonObject("properties", new JsonObject()).containsKey("facts") ? "facts"
          : "memory_decisions";
      }
      if (format != null) {
        return user().contains("New facts:") ? "memory_decisions" : "facts";
      }
      return null;
    }

    public boolean isExtraction() {
      return "facts".equals(outputName());
    }

    public boolean isDecision() {
      return "memory_decisions".equals(outputName());
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Queue<Mode> next = new ArrayDeque<>();
  private volatile Mode mode = Mode.NORMAL;
  private volatile long slowMs = 3_000;
  private volatile Function<Call, String> script = call -> "{\"facts\": []}";
  private volatile String requiredKey;

  public FakeLlmServer() {
    server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(buffer -> {
      JsonObject body;
      try {
        body = buffer.toJsonObject();
      } catch (RuntimeException e) {
        request.response().setStatusCode(400).end("{\"error\":\"body is not JSON\"}");
        return;
      }
      String provider = switch (request.path()) {
        case "/v1/chat/completions" -> "openai";
        case "/api/chat" -> "ollama";
        case "/v1/messages" -> "anthropic";
        case "/v1/embeddings" -> "embeddings";
        default -> null;
      };
      if (provider == null) {
        request.response().setStatusCode(404).end("{\"error\":\"no route " + request.path() + "\"}");
        return;
      }
      Map<String, String> headers = new HashMap<>();
      request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
      Call call = new Call(provider, request.path(), Map.copyOf(headers), body);
      calls.add(call);
      answer(request, call);
    })).listen(0, "127.0.0.1").await();
  }

  // ---- control ---------------------------------------------------------------------------------------------------

  /** The base URL to configure for a provider: OPENAI_BASE_URL, OLLAMA_BASE_URL or ANTHROPIC_BASE_URL. */
  public String baseUrl(String provider) {
    String root = "http://127.0.0.1:" + server.actualPort();
    return "openai".equals(provider) ? root + "/v1" : root;
  }

  /** The reply for each call: the JSON text of the structured output, or the text of a plain reply. */
  public FakeLlmServer script(Function<Call, String> script) {
    this.script = script;
    return this;
  }

  /** Refuse calls without this key (OpenAI: bearer token; Anthropic: x-api-key), as the real services do. */
  public FakeLlmServer requireKey(String key) {
    this.requiredKey = key;
    return this;
  }

  /** Misbehave in this way until told otherwise. */
  public FakeLlmServer mode(Mode mode) {
    this.mode = mode;
    return this;
  }

  /** Misbehave in this way for the next {@code count} calls only. */
  public synchronized FakeLlmServer next(int count, Mode mode) {
    for (int i = 0; i < count; i++) {
      next.add(mode);
    }
    return this;
  }

  public FakeLlmServer slowMs(long ms) {
    this.slowMs = ms;
    return this;
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Forgets the recorded calls and goes back to normal behaviour. */
  public synchronized void reset() {
    calls.clear();
    next.clear();
    mode = Mode.NORMAL;
  }

  private synchronized Mode modeFor() {
    Mode queued = next.poll();
    return queued != null ? queued : mode;
  }

  // ---- answers ---------------------------------------------------------------------------------------------------

  private void answer(HttpServerRequest request, Call call) {
    if (requiredKey != null && !authorized(call)) {
      error(request, 401, call.provider().equals("anthropic")
        ? "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}"
        : "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\"}}");
      return;
    }
    Mode now = modeFor();
    switch (now) {
      case UNAUTHORIZED_ECHOING_KEY -> error(request, 401, echoingKey(call));
      case SERVER_ERROR -> error(request, 500, "{\"error\":{\"message\":\"The server had an error\"}}");
      case THROTTLED -> {
        request.response().putHeader("Retry-After", "1");
        error(request, 429, "{\"error\":{\"message\":\"Rate limit reached\"}}");
      }
      case NO_JSON_SCHEMA -> {
        JsonObject format = call.body().getJsonObject("response_format");
        if (format != null && "json_schema".equals(format.getString("type"))) {
          error(request, 400, "{\"error\":{\"message\":\"response_format json_schema is not supported\"}}");
        } else {
          reply(request, call, script.apply(call), false);
        }
      }
      case SLOW -> vertx.setTimer(slowMs, id -> reply(request, call, script.apply(call), false));
      case GARBAGE -> reply(request, call, "Sure! Here is what I found: the user likes sushi, I think.", true);
      case HALF_JSON -> {
        String full = script.apply(call);
        reply(request, call, full.substring(0, Math.max(1, full.length() / 2)), true);
      }
      default -> reply(request, call, script.apply(call), false);
    }
  }

  private boolean authorized(Call call) {
    return switch (call.provider()) {
      case "openai", "embeddings" -> ("Bearer " + requiredKey).equals(call.header("Authorization"));
      case "anthropic" -> requiredKey.equals(call.header("x-api-key"));
      default -> true;
    };
  }

  private static void error(HttpServerRequest request, int status, String body) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  /** A refusal that quotes the credentials received, in the provider's error format. */
  private static String echoingKey(Call call) {
    String authorization = String.valueOf(call.header("Authorization"));
    String key = call.provider().equals("anthropic") ? String.valueOf(call.header("x-api-key"))
      : authorization.replaceFirst("^Bearer ", "");
    String message = "Incorrect API key provided: " + key + ". You sent Authorization: " + authorization
      + " (find your key at https://platform.example/account/api-keys)";
    JsonObject error = new JsonObject().put("message", message).put("type", call.provider().equals("anthropic")
      ? "authentication_error" : "invalid_request_error").put("code", "invalid_api_key");
    return call.provider().equals("anthropic")
      ? new JsonObject().put("type", "error").put("error", error).encode()
      : new JsonObject().put("error", error).encode();
  }

  /** {@code text} is the model's output; {@code asText} sends it as text even where a tool call was asked for. */
  private void reply(HttpServerRequest request, Call call, String text, boolean asText) {
    if (call.provider().equals("embeddings")) {
      request.response().putHeader("Content-Type", "application/json").end(embeddings(call).encode());
      return;
    }
    long in = call.system().length() / 4 + call.user().length() / 4 + 1;
    long out = text.length() / 4 + 1;
    String model = call.body().getString("model");
    JsonObject body = switch (call.provider()) {
      case "openai" -> openAi(call, text, asText, model, in, out);
      case "ollama" -> new JsonObject().put("model", model).put("created_at", "2026-01-01T00:00:00Z")
        .put("message", new JsonObject().put("role", "assistant").put("content", text))
        .put("done", true).put("done_reason", "stop").put("prompt_eval_count", in).put("eval_count", out);
      default -> anthropic(call, text, asText, model, in, out);
    };
    request.response().putHeader("Content-Type", "application/json").end(body.encode());
  }

  private static JsonObject openAi(Call call, String text, boolean asText, String model, long in, long out) {
    JsonObject message = new JsonObject().put("role", "assistant");
    String finish = "stop";
    if (call.body().containsKey("tools") && !asText) {
      String name = call.outputName();
      message.putNull("content").put("tool_calls", new JsonArray().add(new JsonObject().put("id", "call_1")
        .put("type", "function").put("function", new JsonObject().put("name", name).put("arguments", text))));
      finish = "tool_calls";
    } else {
      message.put("content", text);
    }
    return new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion").put("model", model)
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message)
        .put("finish_reason", finish)))
      .put("usage", new JsonObject().put("prompt_tokens", in).put("completion_tokens", out)
        .put("total_tokens", in + out));
  }

  /** One deterministic vector per input (of {@code dimensions}, default 1536 as text-embedding-3-small). */
  private static JsonObject embeddings(Call call) {
    Object input = call.body().getValue("input");
    JsonArray inputs = input instanceof JsonArray array ? array : new JsonArray().add(String.valueOf(input));
    int dimensions = call.body().getInteger("dimensions", 1536);
    JsonArray data = new JsonArray();
    for (int i = 0; i < inputs.size(); i++) {
      Random random = new Random(String.valueOf(inputs.getValue(i)).hashCode());
      JsonArray vector = new JsonArray();
      for (int d = 0; d < dimensions; d++) {
        vector.add(random.nextGaussian());
      }
      data.add(new JsonObject().put("object", "embedding").put("index", i).put("embedding", vector));
    }
    return new JsonObject().put("object", "list").put("data", data)
      .put("model", call.body().getString("model"));
  }

  private static JsonObject anthropic(Call call, String text, boolean asText, String model, long in, long out) {
    JsonArray content = new JsonArray();
    String stop = "end_turn";
    if (call.body().containsKey("tools") && !asText) {
      content.add(new JsonObject().put("type", "tool_use").put("id", "toolu_1").put("name", call.outputName())
        .put("input", new JsonObject(text)));
      stop = "tool_use";
    } else {
      content.add(new JsonObject().put("type", "text").put("text", text));
    }
    return new JsonObject().put("id", "msg_1").put("type", "message").put("role", "assistant").put("model", model)
      .put("content", content).put("stop_reason", stop)
      .put("usage", new JsonObject().put("input_tokens", in).put("output_tokens", out));
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
