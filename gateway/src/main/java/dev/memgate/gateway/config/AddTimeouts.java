package dev.memgate.gateway.config;

import dev.memgate.contract.GraphBus;
import dev.memgate.contract.LlmBus;
import dev.memgate.contract.MemoryBus;

/**
 * How long each wait around an add may last, derived once from the configured deadlines ({@code llm.deadline_ms},
 * {@code embedder.deadline_ms}) and handed to every verticle that waits: the memory service (its LLM calls, the
 * lock of a scope, the graph's preparation), the graph service (its LLM calls), and both edges (REST and MCP wait
 * for an add equally long). Nothing else computes them, so the waits cannot drift apart.
 *
 * <p>An inferred add makes at most two LLM calls (facts, then decisions) and embeds twice (the facts, then the
 * memories it writes); each wait leaves room for the one inside it, so an outer wait never gives up before an
 * inner one has answered or failed.
 *
 * @param llmCallMs      one LLM call as the bus sees it: the provider's whole-call deadline, retries included, plus
 *                       a margin, so the bus never gives up before the provider's breaker does
 * @param scopeWaitMs    how long an add may wait for another add of the same scope: about one whole inferred add
 * @param graphPrepareMs the graph's part of an add (its two LLM calls and its embeddings), run beside the facts'
 * @param addMs          how long an edge (REST or MCP) waits for an add: one add queued behind another, the graph's
 *                       commit included; without an LLM, the memory service's ordinary timeout
 */
public record AddTimeouts(long llmCallMs, long scopeWaitMs, long graphPrepareMs, long addMs) {
  /** Room for the store's writes and the bus around the calls an add makes. */
  private static final long WRITES_MARGIN_MS = 10_000;

  public static AddTimeouts of(Settings settings) {
    long llmCall = settings.integer("llm.deadline_ms") + LlmBus.BUS_MARGIN_MS;
    long embedding = settings.integer("embedder.deadline_ms");
    long oneInferredAdd = 2 * llmCall + 2 * embedding + WRITES_MARGIN_MS;
    boolean llm = !"none".equals(settings.text("llm.provider"));
    boolean graph = !"none".equals(settings.text("graph.store"));
    long add = llm
      ? oneInferredAdd + oneInferredAdd + WRITES_MARGIN_MS + (graph ? GraphBus.TIMEOUT_MS : 0)
      : MemoryBus.TIMEOUT_MS;
    return new AddTimeouts(llmCall, oneInferredAdd, 2 * llmCall + embedding + WRITES_MARGIN_MS, add);
  }
}
