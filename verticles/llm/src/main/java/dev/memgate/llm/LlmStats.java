package dev.memgate.llm;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;

/** Counters for /health: calls, failures, tokens and time, overall and per purpose. Used on the verticle's loop. */
final class LlmStats {
  private long calls;
  private long failures;
  private long unreadable;
  private long inputTokens;
  private long outputTokens;
  private long totalMs;
  private long maxMs;
  private final Map<String, Long> byPurpose = new TreeMap<>();

  void succeeded(String purpose, ChatResult result, long ms) {
    calls++;
    inputTokens += result.inputTokens();
    outputTokens += result.outputTokens();
    totalMs += ms;
    maxMs = Math.max(maxMs, ms);
    byPurpose.merge(purpose, 1L, Long::sum);
  }

  void failed(String purpose, boolean unreadableReply, long ms) {
    calls++;
    failures++;
    if (unreadableReply) {
      unreadable++;
    }
    totalMs += ms;
    maxMs = Math.max(maxMs, ms);
    byPurpose.merge(purpose, 1L, Long::sum);
  }

  JsonObject toJson() {
    return new JsonObject()
      .put("calls", calls)
      .put("failures", failures)
      .put("unreadable_replies", unreadable)
      .put("input_tokens", inputTokens)
      .put("output_tokens", outputTokens)
      .put("total_ms", totalMs)
      .put("mean_ms", calls == 0 ? 0 : totalMs / calls)
      .put("max_ms", maxMs)
      .put("calls_by_purpose", new JsonObject(new TreeMap<>(byPurpose)));
  }
}
