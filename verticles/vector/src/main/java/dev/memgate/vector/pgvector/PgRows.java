package dev.memgate.vector.pgvector;

import dev.memgate.contract.Scope;
import dev.memgate.vector.HistoryEntry;
import dev.memgate.vector.MemoryRecord;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** Rows of {@link PgSql#MEMORY_COLUMNS} and {@link PgSql#HISTORY_COLUMNS} as the store's records. */
final class PgRows {
  private PgRows() {
  }

  /** Metadata is read as JSON text and parsed as Lucene does, so both stores hand back the same values. */
  static MemoryRecord memory(Row row) {
    Scope scope = new Scope(row.getString("user_id"), row.getString("agent_id"), row.getString("run_id"));
    return new MemoryRecord(row.getString("id"), row.getString("text"), row.getString("hash"), scope,
      row.getString("actor_id"), row.getString("role"), new JsonObject(row.getString("metadata")),
      row.getString("created_at"), row.getString("updated_at"), null);
  }

  static HistoryEntry history(Row row) {
    return new HistoryEntry(row.getString("id"), row.getString("memory_id"), row.getString("old_memory"),
      row.getString("new_memory"), row.getString("event"), row.getString("created_at"), row.getString("updated_at"),
      row.getBoolean("is_deleted"), row.getString("actor_id"), row.getString("role"));
  }

  /** pgvector's text form, {@code [0.1,0.2,...]}; the vector travels as text and is cast with {@code ::vector}. */
  static String vectorText(float[] vector) {
    StringBuilder text = new StringBuilder(vector.length * 12).append('[');
    for (int i = 0; i < vector.length; i++) {
      if (i > 0) {
        text.append(',');
      }
      text.append(vector[i]);
    }
    return text.append(']').toString();
  }
}
