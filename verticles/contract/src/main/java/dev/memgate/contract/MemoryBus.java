package dev.memgate.contract;

/**
 * The memory service: the product's operations, as the HTTP and MCP edges call them. Request and reply bodies use
 * mem0's field names (see {@link Fields}); the HTTP edge passes them through unchanged.
 */
public final class MemoryBus {
  /**
   * {messages, user_id?, agent_id?, run_id?, metadata?, infer?, timestamp?} → {results:[{id,memory,event,...}],
   * inferred}.
   */
  public static final String ADD = "memgate.memory.add";
  /**
   * {query, user_id?, agent_id?, run_id?, filters?, limit?, threshold?, mode?, explain?, as_of?,
   * include_invalidated?} → {results:[item + score (+ score_details)], relations:[{source, relationship,
   * destination, valid_from, score}]}.
   */
  public static final String SEARCH = "memgate.memory.search";
  /** {memory_id} → item. */
  public static final String GET = "memgate.memory.get";
  /** {user_id?, agent_id?, run_id?, filters?, limit?} → {results:[item]}. */
  public static final String LIST = "memgate.memory.list";
  /** {memory_id, text?, metadata?} → {message, memory: item}. */
  public static final String UPDATE = "memgate.memory.update";
  /** {memory_id} → {message}. */
  public static final String DELETE = "memgate.memory.delete";
  /** {user_id?, agent_id?, run_id?} → {message, deleted}. */
  public static final String DELETE_ALL = "memgate.memory.delete-all";
  /** {memory_id} → {results:[history row]}. */
  public static final String HISTORY = "memgate.memory.history";
  /** {} → {message}. */
  public static final String RESET = "memgate.memory.reset";
  /** {user_id?, agent_id?, run_id?, limit?} → {nodes:[...], edges:[...], truncated}: a scope's graph memory. */
  public static final String GRAPH = "memgate.memory.graph";
  public static final String HEALTH = "memgate.memory.health";

  /**
   * Every request may carry, under this field, the caller the edge authenticated ({@code Caller.toJson()} of the
   * access module): the memory service keeps each caller to its scope and permissions. The edges always set it,
   * overwriting whatever a client sent; absent, the request is the operator's own (tests, tools on the bus).
   */
  public static final String CALLER = "_caller";

  /** Adds wait for embedding and a durable commit; searches for an embedding. Longer than every downstream. */
  public static final long TIMEOUT_MS = 60_000;

  private MemoryBus() {
  }
}
