package dev.memgate.llm;

import dev.memgate.llm.providers.AnthropicChat;
import dev.memgate.llm.providers.OllamaChat;
import dev.memgate.llm.providers.OpenAiChat;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Builds the configured provider. Configuration was validated at start-up; this only wires and picks defaults. */
final class LlmProviders {
  static final String OLLAMA_DEFAULT_MODEL = "llama3.1";
  static final String OPENAI_DEFAULT_MODEL = "gpt-4.1-nano";
  static final String ANTHROPIC_DEFAULT_MODEL = "claude-haiku-4-5";

  private LlmProviders() {
  }

  static ChatProvider create(Vertx vertx, JsonObject config) {
    String provider = config.getString("provider", "none");
    String model = config.getString("model");
    String baseUrl = config.getString("base_url");
    return switch (provider) {
      case "ollama" -> new OllamaChat(vertx, baseUrl, model == null ? OLLAMA_DEFAULT_MODEL : model);
      case "openai" -> new OpenAiChat(vertx, baseUrl, config.getString("api_key"),
        model == null ? OPENAI_DEFAULT_MODEL : model, OpenAiChat.Mode.parse(config.getString("openai_output")));
      case "anthropic" -> new AnthropicChat(vertx, baseUrl, config.getString("api_key"),
        model == null ? ANTHROPIC_DEFAULT_MODEL : model);
      default -> throw new IllegalArgumentException("llm.provider: no LLM verticle for provider " + provider);
    };
  }
}
