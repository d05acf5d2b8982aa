package dev.memgate.memory.add;

import dev.memgate.contract.RequiredConfig;

/**
 * How the memory verticle uses the LLM service, from its {@code inference} configuration: how long one LLM call may
 * take as the bus sees it ({@code llm_timeout_ms}: the provider's whole-call deadline plus a margin, so the bus never
 * gives up before the provider's breaker does), how long an add may wait for another add of the same scope
 * ({@code scope_wait_ms}), and the prompts. The composition root computes both durations, once, from the configured
 * deadlines; nothing here re-derives them.
 */
public record InferenceConfig(String provider, long llmTimeoutMs, long scopeWaitMs, int candidatesPerFact,
                              int maxCandidates, Prompts prompts) {

  /** Similar memories each fact brings into the decision: not a setting. */
  static final int CANDIDATES_PER_FACT = 5;
  /** Most memories shown to the model in one decision: not a setting. */
  static final int MAX_CANDIDATES = 40;

  public static InferenceConfig from(RequiredConfig config) {
    return new InferenceConfig(
      config.text("provider"),
      config.longInteger("llm_timeout_ms"),
      config.longInteger("scope_wait_ms"),
      CANDIDATES_PER_FACT,
      MAX_CANDIDATES,
      Prompts.load(config.text("custom_fact_extraction_prompt"), config.text("custom_update_memory_prompt")));
  }
}
