package dev.memgate.vector.pgvector;

import java.util.List;

/**
 * Every piece of SQL the pgvector store sends, in one place. Values always travel as {@code $n} parameters: the
 * only things ever formatted into these texts are other fragments of this class, the {@code $n} placeholders
 * themselves, and the embedding dimension (an integer from the configuration) in the table definition.
 *
 * <p>Memories are aliased {@code m} in every statement, so that scope and filter conditions fit anywhere.
 */
final class PgSql {
  private PgSql() {
  }

  static final String MEMORIES = "memgate_memories";
  static final String HISTORY = "memgate_history";
  static final String SCHEMA = "memgate_schema";

  /** Two-key advisory locks: the class says what is locked, so Memgate's locks never meet each other's. */
  static final int LOCK_CLASS_MIGRATION = 0x4D470001;
  static final int LOCK_CLASS_DEDUP = 0x4D470002;

  // ---- schema and migrations ---------------------------------------------------------------------------------

  static final String LOCK_MIGRATION = "SELECT pg_advisory_xact_lock(" + LOCK_CLASS_MIGRATION + ", 0)";

  static final String CREATE_SCHEMA_TABLE = """
    CREATE TABLE IF NOT EXISTS memgate_schema (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      version integer NOT NULL,
      embedding_model text NOT NULL,
      embedding_dimension integer NOT NULL,
      migrated_at timestamptz NOT NULL DEFAULT now())""";

  static final String READ_SCHEMA = "SELECT version, embedding_model, embedding_dimension FROM memgate_schema";

  static final String WRITE_SCHEMA = """
    INSERT INTO memgate_schema (singleton, version, embedding_model, embedding_dimension, migrated_at)
    VALUES (true, $1, $2, $3, now())
    ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version, migrated_at = EXCLUDED.migrated_at""";

  /** The dimension the vector column was created with (pgvector keeps it as the type modifier). */
  static final String COLUMN_DIMENSION = """
    SELECT a.atttypmod FROM pg_attribute a
    WHERE a.attrelid = to_regclass('memgate_memories') AND a.attname = 'embedding' AND NOT a.attisdropped""";

  static final String VECTOR_VERSION = "SELECT extversion FROM pg_extension WHERE extname = 'vector'";

  static final String HAS_ICU = "SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu')";

  static final String CREATE_EXTENSION = "CREATE EXTENSION IF NOT EXISTS vector";

  /**
   * Version 1: memories with their vector, scope, metadata and full-text vector; their history. Timestamps are
   * kept as the ISO-8601 text the service produced, so that they round-trip exactly and filters compare them as
   * strings, as the filter semantics say. {@code seq} orders rows by insertion. {@code search_text} is the memory
   * as keyword search sees it (SearchableText.forKeywords: date, speaker and text, composed by the service, the
   * same as the embedded store indexes); its full-text vector and that vector's length (distinct words) feed BM25.
   */
  static List<String> migrationV1(int dimension) {
    return List.of(
      """
        CREATE TABLE memgate_memories (
          seq bigint GENERATED ALWAYS AS IDENTITY,
          id text PRIMARY KEY,
          text text NOT NULL,
          hash text NOT NULL,
          embedding vector(%d) NOT NULL,
          user_id text,
          agent_id text,
          run_id text,
          actor_id text,
          role text,
          metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
          created_at text NOT NULL,
          updated_at text NOT NULL,
          search_text text NOT NULL,
          text_search tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, search_text)) STORED,
          text_search_length integer
            GENERATED ALWAYS AS (length(to_tsvector('english'::regconfig, search_text))) STORED)"""
        .formatted(dimension),
      "CREATE INDEX memgate_memories_embedding ON memgate_memories USING hnsw (embedding vector_cosine_ops)",
      // Scope columns lead, creation time follows: a scoped list reads its newest rows straight off the index.
      "CREATE INDEX memgate_memories_user ON memgate_memories (user_id, created_at DESC, seq)",
      "CREATE INDEX memgate_memories_agent ON memgate_memories (agent_id, created_at DESC, seq)",
      "CREATE INDEX memgate_memories_run ON memgate_memories (run_id, created_at DESC, seq)",
      "CREATE INDEX memgate_memories_created ON memgate_memories (created_at DESC, seq)",
      """
        CREATE INDEX memgate_memories_dedup ON memgate_memories
          (hash, (coalesce(user_id, '')), (coalesce(agent_id, '')), (coalesce(run_id, '')))""",
      "CREATE INDEX memgate_memories_metadata ON memgate_memories USING gin (metadata)",
      "CREATE INDEX memgate_memories_text_search ON memgate_memories USING gin (text_search)",
      """
        CREATE TABLE memgate_history (
          seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          id text NOT NULL UNIQUE,
          memory_id text NOT NULL,
          user_id text,
          agent_id text,
          run_id text,
          old_memory text,
          new_memory text,
          event text NOT NULL,
          created_at text NOT NULL,
          updated_at text NOT NULL,
          is_deleted boolean NOT NULL,
          actor_id text,
          role text)""",
      "CREATE INDEX memgate_history_memory ON memgate_history (memory_id, seq)",
      // History rows carry their memory's scope, so that erasing a scope reaches the history of memories deleted
      // earlier one by one.
      "CREATE INDEX memgate_history_user ON memgate_history (user_id)",
      "CREATE INDEX memgate_history_agent ON memgate_history (agent_id)",
      "CREATE INDEX memgate_history_run ON memgate_history (run_id)");
  }

  // ---- reading rows ------------------------------------------------------------------------------------------

  static final String MEMORY_COLUMNS = "m.id, m.text, m.hash, m.user_id, m.agent_id, m.run_id, m.actor_id, m.role, "
    + "m.metadata::text AS metadata, m.created_at, m.updated_at";

  static final String HISTORY_COLUMNS = "id, memory_id, old_memory, new_memory, event, created_at, updated_at, "
    + "is_deleted, actor_id, role";

  static final String GET = "SELECT " + MEMORY_COLUMNS + " FROM memgate_memories m WHERE m.id = $1";

  static final String GET_FOR_UPDATE = GET + " FOR UPDATE";

  /** The memories an apply changes, locked until it commits so that nothing changes them in between. */
  static final String GET_MANY_FOR_UPDATE = "SELECT " + MEMORY_COLUMNS
    + " FROM memgate_memories m WHERE m.id = ANY($1::text[]) ORDER BY m.id FOR UPDATE";

  static final String IDS_IN_USE = "SELECT m.id FROM memgate_memories m WHERE m.id = ANY($1::text[])";

  static final String HISTORY_OF = "SELECT " + HISTORY_COLUMNS
    + " FROM memgate_history WHERE memory_id = $1 ORDER BY seq LIMIT $2";

  static final String COUNTS = "SELECT (SELECT count(*) FROM memgate_memories) AS memories, "
    + "(SELECT count(*) FROM memgate_history) AS history_rows";

  // ---- writes ------------------------------------------------------------------------------------------------

  /** Serialises adds of the same text to the same scope, on every node sharing the database. */
  static final String LOCK_DEDUP = "SELECT pg_advisory_xact_lock(" + LOCK_CLASS_DEDUP + ", $1)";

  private static final String SAME_TEXT_IN_SCOPE = "m.hash = $1 AND coalesce(m.user_id, '') = coalesce($2::text, '') "
    + "AND coalesce(m.agent_id, '') = coalesce($3::text, '') AND coalesce(m.run_id, '') = coalesce($4::text, '')";

  /**
   * Adds one memory and its ADD history row in one statement, unless the scope already holds the same text;
   * returns a row only when it added. Callers hold the dedup lock of (scope, hash).
   */
  static final String INSERT_MEMORY = """
    WITH added AS (
      INSERT INTO memgate_memories
        (id, text, hash, embedding, user_id, agent_id, run_id, actor_id, role, metadata, created_at, updated_at,
         search_text)
      SELECT $1, $2, $3, $4::vector, $5::text, $6::text, $7::text, $8, $9, $10::jsonb, $11, $12, $14
      WHERE NOT EXISTS (
        SELECT 1 FROM memgate_memories m
        WHERE m.hash = $3 AND coalesce(m.user_id, '') = coalesce($5::text, '')
          AND coalesce(m.agent_id, '') = coalesce($6::text, '') AND coalesce(m.run_id, '') = coalesce($7::text, ''))
      RETURNING id, text, user_id, agent_id, run_id, actor_id, role, created_at)
    INSERT INTO memgate_history (id, memory_id, user_id, agent_id, run_id, old_memory, new_memory, event,
                                 created_at, updated_at, is_deleted, actor_id, role)
    SELECT $13, id, user_id, agent_id, run_id, NULL, text, 'ADD', created_at, created_at, false, actor_id, role
    FROM added
    RETURNING memory_id""";

  /** The memory an add was a duplicate of. */
  static final String EXISTING_IN_SCOPE = "SELECT " + MEMORY_COLUMNS + " FROM memgate_memories m WHERE "
    + SAME_TEXT_IN_SCOPE + " ORDER BY m.seq LIMIT 1";

  static final String UPDATE_MEMORY = """
    UPDATE memgate_memories
    SET text = $2, hash = $3, embedding = coalesce($4::vector, embedding), metadata = $5::jsonb, updated_at = $6,
        search_text = $7
    WHERE id = $1""";

  static final String INSERT_HISTORY = """
    INSERT INTO memgate_history (id, memory_id, user_id, agent_id, run_id, old_memory, new_memory, event,
                                 created_at, updated_at, is_deleted, actor_id, role)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)""";

  /** Removes a memory and records its DELETE history row, in one statement; returns the removed memory. */
  static final String DELETE_MEMORY = """
    WITH gone AS (
      DELETE FROM memgate_memories WHERE id = $1
      RETURNING id, text, hash, user_id, agent_id, run_id, actor_id, role, metadata, created_at, updated_at),
    logged AS (
      INSERT INTO memgate_history (id, memory_id, user_id, agent_id, run_id, old_memory, new_memory, event,
                                   created_at, updated_at, is_deleted, actor_id, role)
      SELECT $2, id, user_id, agent_id, run_id, text, NULL, 'DELETE', created_at, $3, true, actor_id, role FROM gone)
    SELECT id, text, hash, user_id, agent_id, run_id, actor_id, role, metadata::text AS metadata, created_at,
           updated_at
    FROM gone""";

  /** Followed by a scope condition on alias m. */
  static final String DELETE_SCOPE_MEMORIES = "DELETE FROM memgate_memories m WHERE ";
  static final String DELETE_SCOPE_HISTORY = "DELETE FROM memgate_history m WHERE ";

  /**
   * Locks the tables in the order every write takes them (memories, then history) before truncating them: TRUNCATE
   * alone may lock history first and then wait for an add that holds memories and wants history, a deadlock.
   */
  static final String LOCK_FOR_RESET = "LOCK TABLE memgate_memories, memgate_history IN ACCESS EXCLUSIVE MODE";
  static final String RESET = "TRUNCATE memgate_memories, memgate_history";

  // ---- list and search ---------------------------------------------------------------------------------------

  static final String LIST = "SELECT " + MEMORY_COLUMNS + " FROM memgate_memories m WHERE %s "
    + "ORDER BY m.created_at DESC, m.seq LIMIT %s";

  /** How many memories match a condition (the scope and a filter). */
  static final String COUNT = "SELECT count(*) FROM memgate_memories m WHERE %s";

  /** At most {@code cap} rows of the scope: enough to know whether it is small, without reading a large one. */
  static final String SCOPE_SIZE = "SELECT count(*) FROM (SELECT 1 FROM memgate_memories m WHERE %s LIMIT %s) s";

  /** Per-transaction settings of an index search: candidates examined, and pgvector 0.8's iterative scan. */
  static final String SEARCH_SETTINGS = "SELECT set_config('hnsw.ef_search', $1, true), "
    + "set_config('plan_cache_mode', 'force_custom_plan', true)";
  static final String ITERATIVE_SCAN = "SELECT set_config('hnsw.iterative_scan', 'strict_order', true), "
    + "set_config('hnsw.max_scan_tuples', $1, true)";

  /** Nearest first through the HNSW index; args: vector placeholder, condition, vector placeholder, limit. */
  static final String SEARCH_INDEXED = "SELECT " + MEMORY_COLUMNS + ", 1 - (m.embedding <=> %s::vector) AS score "
    + "FROM memgate_memories m WHERE %s ORDER BY m.embedding <=> %s::vector LIMIT %s";

  /**
   * Nearest first by computing every distance in the scope: exact, and what a small scope needs. The
   * materialised CTE keeps the planner away from the HNSW index. Args: vector placeholder, condition, limit.
   */
  static final String SEARCH_EXACT = """
    WITH scoped AS MATERIALIZED (
      SELECT m.id, m.seq, m.embedding <=> %s::vector AS distance FROM memgate_memories m WHERE %s),
    best AS (SELECT id, seq, distance FROM scoped ORDER BY distance, seq LIMIT %s)
    SELECT %s, 1 - best.distance AS score
    FROM best JOIN memgate_memories m ON m.id = best.id
    ORDER BY best.distance, best.seq""".formatted("%s", "%s", "%s", MEMORY_COLUMNS);

  /**
   * Keyword ranking by BM25 (k1 1.2, b 0.5, as the embedded store's Lucene index) over the full-text vector of the
   * searchable text. The query's words (PostgreSQL's english parse: stop words out, Snowball stems) are OR-ed so
   * that a memory sharing any word is a hit; the collection BM25's rarity and average length come from is the
   * memories the search may see (scope and filter). Term frequency is a word's count of positions. Args: query
   * placeholder (twice), condition (twice), limit, then the columns' tail:
   * {@link #NO_COSINE} or {@link #WITH_COSINE} with the vector placeholder.
   */
  static final String SEARCH_BM25 = """
    WITH q AS MATERIALIZED (
      SELECT replace(plainto_tsquery('english'::regconfig, %s::text)::text, ' & ', ' | ')::tsquery AS query,
             tsvector_to_array(to_tsvector('english'::regconfig, %s::text)) AS words),
    visible AS MATERIALIZED (
      SELECT count(*)::float8 AS docs, coalesce(avg(m.text_search_length), 1)::float8 AS avg_length
      FROM memgate_memories m WHERE %s),
    matched AS MATERIALIZED (
      SELECT m.id, m.seq, m.text_search_length AS length, w.lexeme, coalesce(array_length(w.positions, 1), 1) AS tf
      FROM memgate_memories m CROSS JOIN q CROSS JOIN LATERAL unnest(m.text_search) w
      WHERE m.text_search @@ q.query AND %s AND w.lexeme = ANY(q.words)),
    rarity AS (
      SELECT x.lexeme, ln(1 + (v.docs - count(*) + 0.5) / (count(*) + 0.5)) AS idf
      FROM matched x CROSS JOIN visible v GROUP BY x.lexeme, v.docs),
    scored AS (
      SELECT x.id, x.seq, sum(r.idf * x.tf / (x.tf + 1.2 * (0.5 + 0.5 * x.length / v.avg_length))) AS score
      FROM matched x JOIN rarity r ON r.lexeme = x.lexeme CROSS JOIN visible v
      GROUP BY x.id, x.seq
      ORDER BY score DESC, x.seq LIMIT %s)
    SELECT %s, s.score%s
    FROM scored s JOIN memgate_memories m ON m.id = s.id
    ORDER BY s.score DESC, s.seq""".formatted("%s", "%s", "%s", "%s", "%s", MEMORY_COLUMNS, "%s");

  /** The tail of {@link #SEARCH_BM25}'s columns: nothing more (keyword mode). */
  static final String NO_COSINE = "";
  /** The tail of {@link #SEARCH_BM25}'s columns for hybrid search: each hit's cosine; arg: vector placeholder. */
  static final String WITH_COSINE = ", 1 - (m.embedding <=> %s::vector) AS cosine";

  // ---- conditions --------------------------------------------------------------------------------------------

  static final String TRUE = "TRUE";
  static final String FALSE = "FALSE";
  static final String AND = " AND ";
  static final String OR = " OR ";
  static final String NOT = "NOT %s";
  static final String GROUP = "(%s)";

  /** Scope: a given id must be equal; args: placeholder. */
  static final String SCOPE_USER = "m.user_id = %s::text";
  static final String SCOPE_AGENT = "m.agent_id = %s::text";
  static final String SCOPE_RUN = "m.run_id = %s::text";

  /** Filter fields kept in columns; every other field is a metadata key. */
  static final String COLUMN_USER_ID = "m.user_id";
  static final String COLUMN_AGENT_ID = "m.agent_id";
  static final String COLUMN_RUN_ID = "m.run_id";
  static final String COLUMN_ACTOR_ID = "m.actor_id";
  static final String COLUMN_ROLE = "m.role";
  static final String COLUMN_CREATED_AT = "m.created_at";
  static final String COLUMN_UPDATED_AT = "m.updated_at";

  /** A metadata value as jsonb (SQL NULL when the key is absent); args: key placeholder. */
  static final String METADATA_FIELD = "(m.metadata -> %s::text)";
  /** A field no stored memory can have (its name holds a NUL, which PostgreSQL text cannot). */
  static final String ABSENT_FIELD = "(NULL::jsonb)";

  // Text columns (args: column, then placeholders). NULL (absent) makes a comparison false, never unknown.
  static final String COLUMN_IS_NULL = "%s IS NULL";
  static final String COLUMN_NOT_NULL = "%s IS NOT NULL";
  static final String COLUMN_EQUALS = "coalesce(%s = %s::text, false)";
  static final String COLUMN_COMPARE = "coalesce(%s COLLATE \"C\" %s %s::text, false)";
  static final String COLUMN_IN = "coalesce(%s = ANY(%s::text[]), false)";
  static final String COLUMN_CONTAINS = "coalesce(strpos(%s, %s::text) > 0, false)";
  static final String COLUMN_ICONTAINS = "coalesce(strpos(%s, %s) > 0, false)";

  // jsonb values (args: the field expression, then placeholders). Every one is true or false, never unknown.
  static final String JSON_MISSING = "coalesce(jsonb_typeof(%s), 'null') = 'null'";
  static final String JSON_PRESENT = "coalesce(jsonb_typeof(%s), 'null') <> 'null'";
  /**
   * Equality through containment, so the GIN index on metadata serves it: {"k": v} matches a value equal to v,
   * {"k": [v]} an array with an element equal to v (numbers compare by value in jsonb, as in the filter rules).
   */
  static final String METADATA_EQUALS = "(m.metadata @> %s::jsonb OR m.metadata @> %s::jsonb)";
  static final String JSON_NUMBER_COMPARE =
    "(CASE WHEN jsonb_typeof(%s) = 'number' THEN (%s)::numeric %s %s::numeric ELSE false END)";
  static final String JSON_STRING_COMPARE =
    "(CASE WHEN jsonb_typeof(%s) = 'string' THEN (%s #>> '{}') COLLATE \"C\" %s %s::text ELSE false END)";
  /** Equal to one of a jsonb array of scalars (args: list placeholder, then the field three times). */
  static final String JSON_EQUALS_ANY = """
    EXISTS (SELECT 1 FROM jsonb_array_elements(%s::jsonb) lit
            WHERE %s = lit OR (jsonb_typeof(%s) = 'array' AND %s @> jsonb_build_array(lit)))""";
  static final String JSON_CONTAINS = """
    (CASE jsonb_typeof(%s)
       WHEN 'string' THEN strpos(%s #>> '{}', %s::text) > 0
       WHEN 'array' THEN %s @> jsonb_build_array(%s::text)
       ELSE false END)""";
  /** Args: field, lowered field text, lowered literal, field, lowered element text, lowered literal. */
  static final String JSON_ICONTAINS = """
    (CASE jsonb_typeof(%s)
       WHEN 'string' THEN strpos(%s, %s) > 0
       WHEN 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements(%s) e
                                 WHERE jsonb_typeof(e) = 'string' AND %s = %s)
       ELSE false END)""";
  static final String JSON_TEXT = "(%s #>> '{}')";
  static final String ELEMENT_TEXT = "(e #>> '{}')";

  /** Not expired on a day (arg: its placeholder); the service writes the date, always as YYYY-MM-DD text. */
  static final String UNEXPIRED = "coalesce((m.metadata ->> 'expiration_date') COLLATE \"C\" >= %s::text, true)";

  /** Lower case by Unicode's full rules (ICU, as Java's toLowerCase does), or the database's when ICU is missing. */
  static final String LOWER_ICU = "lower((%s)::text COLLATE \"und-x-icu\")";
  static final String LOWER_DEFAULT = "lower((%s)::text)";
}
