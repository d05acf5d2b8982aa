package dev.memgate.contract;

/**
 * The LLM service: one chat completion per request, against the configured provider (Ollama, an OpenAI-compatible
 * server or Anthropic), behind that provider's circuit breaker.
 *
 * <p>CHAT request: {@code {system, messages:[{role:"user"|"assistant", content}], output?:{name, description,
 * schema}, purpose, temperature?, max_tokens?}}. With {@code output}, the provider is asked for JSON following the
 * schema (structured output or tool use where it has it) and the reply carries it parsed as {@code json}; a reply
 * that cannot be read as JSON is a failure, never an empty result. Without it, the reply carries {@code content}.
 *
 * <p>CHAT reply: {@code {json? | content?, usage:{input_tokens, output_tokens}, model, provider, duration_ms,
 * attempts}}. Failures: {@code UNAVAILABLE} with dependency {@code llm:<provider>} and the reason.
 */
public final class LlmBus {
  public static final String CHAT = "memgate.llm.chat";
  /** {} → {status, provider, model, base_url, breaker:{state, ...}, calls, failures, tokens, latency}. */
  public static final String HEALTH = "memgate.llm.health";

  public static final String SYSTEM = "system";
  public static final String MESSAGES = "messages";
  public static final String ROLE = "role";
  public static final String CONTENT = "content";
  public static final String OUTPUT = "output";
  public static final String OUTPUT_NAME = "name";
  public static final String OUTPUT_DESCRIPTION = "description";
  public static final String OUTPUT_SCHEMA = "schema";
  public static final String PURPOSE = "purpose";
  public static final String TEMPERATURE = "temperature";
  public static final String MAX_TOKENS = "max_tokens";

  public static final String JSON = "json";
  public static final String USAGE = "usage";
  public static final String INPUT_TOKENS = "input_tokens";
  public static final String OUTPUT_TOKENS = "output_tokens";
  public static final String MODEL = "model";
  public static final String PROVIDER = "provider";
  public static final String DURATION_MS = "duration_ms";
  public static final String ATTEMPTS = "attempts";

  /** What a caller adds to the provider's whole-call deadline for its bus timeout, so the bus never gives up first. */
  public static final long BUS_MARGIN_MS = 5_000;

  private LlmBus() {
  }
}
