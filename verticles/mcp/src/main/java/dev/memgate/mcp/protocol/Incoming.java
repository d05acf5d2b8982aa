package dev.memgate.mcp.protocol;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One transport message, decoded: a single JSON-RPC message, or a batch of them in the revisions that allow
 * batches. Items are as decoded (not yet checked), so that one bad item in a batch gets its own error reply.
 */
public record Incoming(List<Object> items, boolean batch) {

  /** True when some item expects an answer: a request, or something malformed that gets an error back. */
  public boolean expectsReply() {
    return items.stream().anyMatch(item -> !(item instanceof JsonObject message)
      || JsonRpc.isRequest(message) || !(JsonRpc.isNotification(message) || JsonRpc.isResponse(message)));
  }

  /** True when the message is exactly one initialize request. */
  public boolean isInitialize() {
    return !batch && items.get(0) instanceof JsonObject message && JsonRpc.isInitialize(message);
  }

  /** True when an initialize request hides somewhere in the message. */
  public boolean containsInitialize() {
    return items.stream().anyMatch(item -> item instanceof JsonObject message && JsonRpc.isInitialize(message));
  }
}
