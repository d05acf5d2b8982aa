package dev.memgate.contract;

import java.util.Set;

/** Field names of memory items and requests, as mem0 spells them. */
public final class Fields {
  public static final String ID = "id";
  public static final String MEMORY_ID = "memory_id";
  public static final String MEMORY = "memory";
  public static final String HASH = "hash";
  public static final String METADATA = "metadata";
  public static final String SCORE = "score";
  public static final String CREATED_AT = "created_at";
  public static final String UPDATED_AT = "updated_at";
  public static final String USER_ID = "user_id";
  public static final String AGENT_ID = "agent_id";
  public static final String RUN_ID = "run_id";
  public static final String ACTOR_ID = "actor_id";
  public static final String ROLE = "role";
  public static final String EVENT = "event";
  public static final String PREVIOUS_MEMORY = "previous_memory";
  public static final String RESULTS = "results";
  public static final String MESSAGE = "message";

  public static final String MESSAGES = "messages";
  public static final String INFER = "infer";
  public static final String INFERRED = "inferred";
  public static final String QUERY = "query";
  public static final String FILTERS = "filters";
  public static final String LIMIT = "limit";
  public static final String THRESHOLD = "threshold";
  public static final String TEXT = "text";
  /** Search: vector, keyword or hybrid. */
  public static final String MODE = "mode";
  /** Search: add each result's score parts under {@link #SCORE_DETAILS} (mem0 v3's name). */
  public static final String EXPLAIN = "explain";
  public static final String SCORE_DETAILS = "score_details";
  /** Add: the time the memories refer to (Unix seconds), used as their created_at; mem0 platform's name. */
  public static final String TIMESTAMP = "timestamp";
  /** mem0 v3: the day (YYYY-MM-DD) after which a memory is no longer found; kept with the memory's metadata. */
  public static final String EXPIRATION_DATE = "expiration_date";
  /**
   * The metadata key that records the app whose key added a memory (OpenMemory's apps); set by the memory service
   * from the caller, never by a client, and never changed.
   */
  public static final String APP_ID = "app_id";
  /** Search and list: also return memories whose expiration date has passed. */
  public static final String SHOW_EXPIRED = "show_expired";

  /** History rows. */
  public static final String OLD_MEMORY = "old_memory";
  public static final String NEW_MEMORY = "new_memory";
  public static final String IS_DELETED = "is_deleted";

  /** Names a memory item uses at its top level; metadata may not use them, so that filters stay unambiguous. */
  public static final Set<String> RESERVED = Set.of(ID, MEMORY, HASH, METADATA, SCORE, CREATED_AT, UPDATED_AT,
    USER_ID, AGENT_ID, RUN_ID, ACTOR_ID, ROLE, EXPIRATION_DATE);

  private Fields() {
  }
}
