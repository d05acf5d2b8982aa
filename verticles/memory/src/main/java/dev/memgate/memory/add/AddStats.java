package dev.memgate.memory.add;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counters of the inferred and procedural adds for the memory component of /health: how many, what they did, what
 * the LLM cost, how long they took. Used on the memory verticle's event loop only.
 */
public final class AddStats {
  private long adds;
  private long failures;
  private long factsExtracted;
  private long nothingExtracted;
  private long repairs;
  private long llmCalls;
  private long inputTokens;
  private long outputTokens;
  private long llmMs;
  private long totalMs;
  private long maxTotalMs;
  private final Map<String, Long> events = new TreeMap<>();

  void succeeded(Usage usage, int facts, int repaired) {
    adds++;
    factsExtracted += facts;
    if (facts == 0) {
      nothingExtracted++;
    }
    repairs += repaired;
    cost(usage);
  }

  void failed(Usage usage) {
    failures++;
    cost(usage);
  }

  void event(String event) {
    events.merge(event, 1L, Long::sum);
  }

  private void cost(Usage usage) {
    llmCalls += usage.llmCalls();
    inputTokens += usage.inputTokens();
    outputTokens += usage.outputTokens();
    llmMs += usage.llmMs();
    long ms = usage.totalMs();
    totalMs += ms;
    maxTotalMs = Math.max(maxTotalMs, ms);
  }

  public JsonObject toJson() {
    long all = adds + failures;
    return new JsonObject()
      .put("adds", adds)
      .put("failures", failures)
      .put("facts_extracted", factsExtracted)
      .put("adds_with_nothing_extracted", nothingExtracted)
      .put("decisions_repaired", repairs)
      .put("events", new JsonObject(new TreeMap<>(events)))
      .put("llm_calls", llmCalls)
      .put("llm_calls_per_add", all == 0 ? 0.0 : (double) llmCalls / all)
      .put("input_tokens", inputTokens)
      .put("output_tokens", outputTokens)
      .put("llm_ms", llmMs)
      .put("mean_add_ms", all == 0 ? 0 : totalMs / all)
      .put("max_add_ms", maxTotalMs);
  }
}
