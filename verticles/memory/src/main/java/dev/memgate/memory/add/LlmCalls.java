package dev.memgate.memory.add;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.LlmBus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Sends chat requests to the LLM service with a bus timeout longer than its deadline, counting what they cost. */
final class LlmCalls {
  private final BusClient bus;
  private final long timeoutMs;

  LlmCalls(BusClient bus, long timeoutMs) {
    this.bus = bus;
    this.timeoutMs = timeoutMs;
  }

  Future<JsonObject> chat(JsonObject request, Usage usage) {
    return bus.request(LlmBus.CHAT, request, timeoutMs).onSuccess(usage::count);
  }
}
