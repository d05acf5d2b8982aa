package dev.memgate.llm;

import dev.memgate.llm.providers.AnthropicChat;
import dev.memgate.llm.providers.OllamaChat;
import dev.memgate.llm.providers.OpenAiChat;
import io.vertx.core.Vertx;
import dev.memgate.contract.RequiredConfig;

/**
 * Builds the configured provider. Configuration was validated at start-up and is complete (the model included: the
 * composition root gives the provider's default from {@code conf/memgate.yaml} when none is set); this only wires.
 */
final class LlmProviders {
  private LlmProviders() {
  }

  static ChatProvider create(Vertx vertx, RequiredConfig config) {
    String provider = config.text("provider");
    String model = config.text("model");
    String baseUrl = config.text("base_url");
    return switch (provider) {
      case "ollama" -> new OllamaChat(vertx, baseUrl, model);
      // The key is optional: an OpenAI-compatible server on the user's machine may need none.
      case "openai" -> new OpenAiChat(vertx, baseUrl, config.optionalText("api_key").orElse(""), model,
        OpenAiChat.Mode.parse(config.text("openai_output")));
      case "anthropic" -> new AnthropicChat(vertx, baseUrl, config.text("api_key"), model);
      default -> throw new IllegalArgumentException("llm.provider: no LLM verticle for provider " + provider);
    };
  }
}
