package dev.memgate.llm;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One LLM provider's wire format. {@link #chat} is a single attempt: the verticle's guard adds the deadline,
 * retries and circuit breaker around it. Attempts fail with a {@code RemoteFailure} saying what went wrong.
 */
public interface ChatProvider {

  /** ollama, openai, anthropic. */
  String name();

  String model();

  /** Where it is, as it may be shown (logs, /health, failures): a password in the URL is hidden. */
  String baseUrl();

  Future<ChatResult> chat(ChatRequest request, long timeoutMs);

  /** Provider-specific facts for /health; never a secret. */
  default JsonObject describe() {
    return new JsonObject();
  }

  void close();
}
