package dev.memgate.memory.add;

import dev.memgate.contract.LlmBus;
import io.vertx.core.json.JsonObject;

/**
 * How the memory verticle uses the LLM service, from its {@code inference} configuration: the provider's whole-call
 * deadline (the bus waits a margin longer, so it never gives up before the provider's breaker does), how long an
 * add may wait for another add of the same scope, how many similar memories each fact brings into the decision, and
 * the prompts.
 */
public record InferenceConfig(String provider, long llmTimeoutMs, long scopeWaitMs, int candidatesPerFact,
                              int maxCandidates, Prompts prompts) {

  public static InferenceConfig from(JsonObject config) {
    long deadline = config.getLong("deadline_ms", 30_000L);
    return new InferenceConfig(
      config.getString("provider"),
      deadline + LlmBus.BUS_MARGIN_MS,
      config.getLong("scope_wait_ms", 2 * deadline + 30_000L),
      config.getInteger("candidates_per_fact", 5),
      config.getInteger("max_candidates", 40),
      Prompts.load(config.getString("custom_fact_extraction_prompt"),
        config.getString("custom_update_memory_prompt")));
  }
}
