package dev.memgate.llm;

import dev.memgate.contract.BusServer;
import dev.memgate.contract.LlmBus;
import dev.memgate.contract.RequiredConfig;
import dev.memgate.contract.UpstreamText;
import dev.memgate.remote.GuardOptions;
import dev.memgate.remote.ProviderGuard;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves {@link LlmBus} with the configured provider behind its {@link ProviderGuard} (one circuit breaker, created
 * here once; a whole-call deadline; retries of 429, 5xx and connection errors only). Failures cross the bus as
 * {@code UNAVAILABLE} naming {@code llm:<provider>} and the reason, a summary of what the provider said without
 * credentials: the configured key is registered with {@link UpstreamText} before the first call, so that a provider
 * that echoes it cannot put it into a reply or the log. Request headers and bodies are never logged.
 *
 * <p>Configuration, complete from the composition root (a missing key stops start-up naming it): {@code provider}
 * (ollama, openai, anthropic), {@code model}, {@code base_url}, {@code api_key} (optional but for anthropic: a local
 * OpenAI-compatible server may need none), {@code openai_output} (openai only: json_schema, json_object, tools),
 * {@code temperature}, {@code max_tokens}, {@code deadline_ms}, {@code max_retries}, {@code breaker_max_failures},
 * {@code breaker_reset_ms}.
 */
public final class LlmVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(LlmVerticle.class);

  private ChatProvider provider;
  private ProviderGuard guard;
  private final LlmStats stats = new LlmStats();
  private double temperature;
  private int maxTokens;

  @Override
  public Future<?> start() {
    RequiredConfig config = RequiredConfig.of("llm verticle", config());
    config.optionalText("api_key").ifPresent(UpstreamText::hide);
    GuardOptions options = GuardOptions.from(config);
    temperature = config.decimal("temperature");
    maxTokens = config.integer("max_tokens");
    provider = LlmProviders.create(vertx, config);
    guard = new ProviderGuard(vertx, "llm:" + provider.name(), "LLM provider " + provider.name() + " at "
      + provider.baseUrl(), options);
    LOG.info("LLM provider {} model {} at {} (deadline {} ms, {} retries)", provider.name(), provider.model(),
      provider.baseUrl(), guard.options().deadlineMs(), guard.options().maxRetries());
    return Future.all(List.of(
      BusServer.serve(vertx, LlmBus.CHAT, this::chat).completion(),
      BusServer.serve(vertx, LlmBus.HEALTH, body -> Future.succeededFuture(health())).completion()));
  }

  private Future<JsonObject> chat(JsonObject body) {
    ChatRequest request = ChatRequest.from(body, temperature, maxTokens);
    long started = System.nanoTime();
    AtomicInteger attempts = new AtomicInteger();
    return guard.call(left -> {
        attempts.incrementAndGet();
        return provider.chat(request, left);
      })
      .onFailure(err -> {
        long ms = (System.nanoTime() - started) / 1_000_000;
        stats.failed(request.purpose(), String.valueOf(err.getMessage()).contains("could not be read"), ms);
        LOG.warn("LLM {} call failed after {} ms: {}", request.purpose(), ms, err.getMessage());
      })
      .map(result -> {
        long ms = (System.nanoTime() - started) / 1_000_000;
        stats.succeeded(request.purpose(), result, ms);
        LOG.debug("LLM {} call: {} ms, {} + {} tokens", request.purpose(), ms, result.inputTokens(),
          result.outputTokens());
        JsonObject reply = new JsonObject()
          .put(LlmBus.USAGE, new JsonObject().put(LlmBus.INPUT_TOKENS, result.inputTokens())
            .put(LlmBus.OUTPUT_TOKENS, result.outputTokens()))
          .put(LlmBus.MODEL, result.model())
          .put(LlmBus.PROVIDER, provider.name())
          .put(LlmBus.DURATION_MS, ms)
          .put(LlmBus.ATTEMPTS, attempts.get());
        if (result.json() != null) {
          reply.put(LlmBus.JSON, result.json());
        } else {
          reply.put(LlmBus.CONTENT, result.content());
        }
        return reply;
      });
  }

  /** DOWN while the circuit is open (inferred adds fail fast), DEGRADED while a trial call is let through. */
  private JsonObject health() {
    CircuitBreakerState state = guard.state();
    String status = switch (state) {
      case CLOSED -> "UP";
      case HALF_OPEN -> "DEGRADED";
      case OPEN -> "DOWN";
    };
    return new JsonObject()
      .put("status", status)
      .put("provider", provider.name())
      .put("model", provider.model())
      .put("base_url", provider.baseUrl())
      .put("breaker", guard.health())
      .mergeIn(stats.toJson())
      .mergeIn(provider.describe());
  }

  @Override
  public Future<?> stop() {
    if (guard != null) {
      guard.close();
    }
    if (provider != null) {
      provider.close();
    }
    return Future.succeededFuture();
  }
}
