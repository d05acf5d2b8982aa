package dev.memgate.contract;

/**
 * The vector store service: memories with their vectors, their history, and scoped search. Every write is durable
 * when it is answered. Records travel as {@link Fields} items plus {@code vector}.
 */
public final class VectorBus {
  /** {records:[record+vector]} → {results:[{id, memory, event:"ADD"|"NONE", ...}]}; same text in same scope = NONE. */
  public static final String INSERT = "memgate.vector.insert";
  /** {memory_id, text?, hash?, vector?, metadata?, updated_at} → {memory: item, previous_memory}. */
  public static final String UPDATE = "memgate.vector.update";
  /**
   * Changes decided together, applied atomically (all with their history rows in one durable commit, or none):
   * {scope, changes:[{event:"ADD", record: record+vector} | {event:"UPDATE", memory_id, text, hash, vector,
   * metadata?, updated_at} | {event:"DELETE", memory_id, at}]} → {results:[{event, memory: item,
   * previous_memory?}]} in the order of the changes; an ADD of a text already in its scope comes back as NONE.
   * CONFLICT (nothing written) when an UPDATE or DELETE names a memory that is gone or outside the scope.
   */
  public static final String APPLY = "memgate.vector.apply";
  /** {memory_id, at} → {memory: item}. */
  public static final String DELETE = "memgate.vector.delete";
  /** {scope:{user_id?,agent_id?,run_id?}} → {deleted:n}; also erases those memories' history. */
  public static final String DELETE_SCOPE = "memgate.vector.delete-scope";
  /** {memory_id} → item. */
  public static final String GET = "memgate.vector.get";
  /** {scope, filters?, unexpired_on?, limit} → {results:[item]}, newest first. */
  public static final String LIST = "memgate.vector.list";
  /**
   * {scope?, filters?} → {count}: how many memories match (every scope when none is given), counted by the store
   * without loading them; expired memories count.
   */
  public static final String COUNT = "memgate.vector.count";
  public static final String COUNT_FIELD = "count";
  /**
   * {scope, vector (absent in keyword mode), query, filters?, unexpired_on?, limit, threshold?, mode, explain} →
   * {results:[item+score(+score_details)]}, best first.
   */
  public static final String SEARCH = "memgate.vector.search";
  /** {memory_id} → {results:[history row]}, oldest first. */
  public static final String HISTORY = "memgate.vector.history";
  /** {} → {}: everything removed. */
  public static final String RESET = "memgate.vector.reset";
  public static final String HEALTH = "memgate.vector.health";

  public static final String RECORDS = "records";
  /**
   * LIST and SEARCH: a day (YYYY-MM-DD); only memories without an expiration date, or expiring on it or later. Kept
   * apart from the caller's filters, so that errors in those still name their place in them.
   */
  public static final String UNEXPIRED_ON = "unexpired_on";
  public static final String VECTOR = "vector";
  public static final String SCOPE = "scope";
  public static final String AT = "at";
  public static final String CHANGES = "changes";
  public static final String RECORD = "record";

  public static final long TIMEOUT_MS = 30_000;

  private VectorBus() {
  }
}
