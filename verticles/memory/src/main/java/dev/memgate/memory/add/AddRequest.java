package dev.memgate.memory.add;

import dev.memgate.contract.Scope;
import dev.memgate.memory.ChatMessage;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A validated {@code POST /memories}: whose, what was said, the caller's metadata, whether to infer facts, and the
 * time the memories refer to ({@code createdAt}: the request's {@code timestamp}, or null for now).
 *
 * @param onlyApp when the caller's app reaches only its own memories, that app: an inferred add then reconciles
 *                the new facts with that app's memories only; null otherwise
 */
public record AddRequest(Scope scope, List<ChatMessage> messages, JsonObject metadata, boolean infer,
                         String memoryType, String prompt, String createdAt, String onlyApp) {

  /** The messages worth remembering as they are: everything but system prompts. */
  public List<ChatMessage> conversation() {
    return messages.stream().filter(m -> !m.isSystem()).toList();
  }
}
