package dev.memgate.contract;

/**
 * The graph service: entities and the relations between them, per scope, with a time line (valid_from, valid_to,
 * invalidated_at, invalidated_by). Deployed only when a graph store is configured; callers check
 * {@code graph.enabled} in their own configuration rather than probing the bus.
 *
 * <p>An inferred add uses it in two steps, so that its LLM calls run beside the fact pipeline's and nothing is
 * written unless every LLM call succeeded: PREPARE (entity and relation extraction, and which existing relations
 * the text contradicts; no write), then COMMIT with the ids of the memories the add wrote (durable in the outbox
 * first, then applied to the store, or applied later when the store is away).
 */
public final class GraphBus {
  /** {scope, text, at} → {plan, usage:{llm_calls, input_tokens, output_tokens, llm_ms}}. No write. */
  public static final String PREPARE = "memgate.graph.prepare";
  /**
   * {scope, plan, memories:[{id, memory}]} → {graph:"ok"|"pending", relations:{added:[...], invalidated:[...]}}.
   * "pending": durable in the outbox, applied when the store is back.
   */
  public static final String COMMIT = "memgate.graph.commit";
  /**
   * {scope, query, limit, as_of?, include_invalidated?} → {relations:[{source, relationship, destination,
   * valid_from, score, ...}]}, best first.
   */
  public static final String SEARCH = "memgate.graph.search";
  /** {scope, memory_id} → {graph}: the memory's contribution goes (relations it alone supports, orphan nodes). */
  public static final String FORGET_MEMORY = "memgate.graph.forget-memory";
  /** {scope} → {graph}: every node and relation of the scope goes. */
  public static final String DELETE_SCOPE = "memgate.graph.delete-scope";
  /** {} → {graph}: everything goes. */
  public static final String RESET = "memgate.graph.reset";
  /** {scope, limit} → {nodes:[...], edges:[...], truncated}. */
  public static final String EXPORT = "memgate.graph.export";
  /** {} → {status, store, uri, reachable, nodes, relations, outbox:{pending, oldest_at}}. */
  public static final String HEALTH = "memgate.graph.health";

  public static final String SCOPE = "scope";
  public static final String TEXT = "text";
  public static final String AT = "at";
  public static final String PLAN = "plan";
  public static final String USAGE = "usage";
  public static final String MEMORIES = "memories";
  public static final String MEMORY_ID = "memory_id";
  public static final String QUERY = "query";
  public static final String LIMIT = "limit";
  public static final String AS_OF = "as_of";
  public static final String INCLUDE_INVALIDATED = "include_invalidated";
  public static final String RELATIONS = "relations";
  public static final String ADDED = "added";
  public static final String INVALIDATED = "invalidated";
  /** The reply field saying what became of the graph part: ok, pending (in the outbox) or off. */
  public static final String GRAPH = "graph";
  public static final String OK = "ok";
  public static final String PENDING = "pending";
  public static final String OFF = "off";

  /** Reads and writes of the store; a write that finds it away goes to the outbox and answers "pending" at once. */
  public static final long TIMEOUT_MS = 15_000;

  private GraphBus() {
  }
}
