package dev.memgate.memory.add;

import dev.memgate.contract.LlmBus;
import io.vertx.core.json.JsonObject;

/** What one add cost: LLM calls, tokens and time. Reported in the reply's {@code usage} and in /health. */
final class Usage {
  private final long startedNanos = System.nanoTime();
  private int llmCalls;
  private long inputTokens;
  private long outputTokens;
  private long llmMs;

  void count(JsonObject llmReply) {
    llmCalls++;
    JsonObject usage = llmReply.getJsonObject(LlmBus.USAGE, new JsonObject());
    inputTokens += usage.getLong(LlmBus.INPUT_TOKENS, 0L);
    outputTokens += usage.getLong(LlmBus.OUTPUT_TOKENS, 0L);
    llmMs += llmReply.getLong(LlmBus.DURATION_MS, 0L);
  }

  /** The graph service's LLM calls for the same add, as it reports them. */
  void countGraph(JsonObject graphUsage) {
    if (graphUsage == null) {
      return;
    }
    llmCalls += graphUsage.getInteger("llm_calls", 0);
    inputTokens += graphUsage.getLong("input_tokens", 0L);
    outputTokens += graphUsage.getLong("output_tokens", 0L);
    llmMs += graphUsage.getLong("llm_ms", 0L);
  }

  int llmCalls() {
    return llmCalls;
  }

  long inputTokens() {
    return inputTokens;
  }

  long outputTokens() {
    return outputTokens;
  }

  long llmMs() {
    return llmMs;
  }

  long totalMs() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  JsonObject toJson() {
    return new JsonObject()
      .put("llm_calls", llmCalls)
      .put("input_tokens", inputTokens)
      .put("output_tokens", outputTokens)
      .put("llm_ms", llmMs)
      .put("total_ms", totalMs());
  }
}
