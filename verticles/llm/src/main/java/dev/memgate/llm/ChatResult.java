package dev.memgate.llm;

import io.vertx.core.json.JsonObject;

/** What one chat completion gave: parsed JSON (structured calls) or text, and the tokens it cost. */
public record ChatResult(JsonObject json, String content, long inputTokens, long outputTokens, String model) {
}
