package dev.memgate.vector;

import dev.memgate.contract.Scope;
import dev.memgate.vector.filter.Filter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What the vector verticle needs from a backend. Every write is durable when its future succeeds, and writes the
 * memory change and its history row together or not at all. Reads see every acknowledged write.
 */
public interface MemoryStore {

  /** lucene, pgvector, ... */
  String name();

  /**
   * Opens or creates the store for vectors of this model and size; fails, naming both, when the store was built
   * with another embedding model.
   */
  Future<Void> open(EmbeddingSpec embedding);

  /** Adds new memories; a text already stored in the exact same scope is not added again (event NONE). */
  Future<List<InsertOutcome>> insert(List<MemoryRecord> records);

  Future<UpdateOutcome> update(MemoryPatch patch);

  /**
   * Applies changes that were decided together (the ADD / UPDATE / DELETE decisions of one inferred add) as ONE
   * atomic, durable unit: when the future succeeds, every change and its history row are committed (and visible to
   * reads); when it fails, nothing of it was written. Implementations must hold to these rules:
   * <ul>
   *   <li>Everything is checked before the first write. Any refusal fails the whole apply and writes nothing.</li>
   *   <li>Every {@link Change.Update} and {@link Change.Delete} names a memory that exists at commit time and lies
   *   within {@code scope} (read semantics: the memory's ids equal every id the scope gives). Otherwise the apply
   *   fails with {@code CONFLICT} naming the id: the memory was deleted or changed meanwhile.</li>
   *   <li>No memory id appears in two changes, and an {@link Change.Add} carries an id not in use
   *   ({@code BAD_INPUT} otherwise). Vectors have the store's dimension ({@code BAD_INPUT} otherwise).</li>
   *   <li>{@link Change.Add} behaves like {@link #insert}: a text (hash) already stored in the record's exact scope,
   *   or added by an earlier change of the same list, is not added again; its outcome is {@code NONE} with the
   *   existing memory. Otherwise an ADD history row (null → text).</li>
   *   <li>{@link Change.Update} behaves like {@link #update}: new text, hash and vector; metadata merged (a null
   *   value removes a key); {@code created_at} kept; {@code updated_at} set; an UPDATE history row (old → new).</li>
   *   <li>{@link Change.Delete} behaves like {@link #delete}: the memory goes, a DELETE history row (old → null,
   *   is_deleted) stays.</li>
   * </ul>
   * Outcomes come back in the order of the changes. Concurrent applies and other writes are serialisable: each one
   * sees the others either entirely or not at all.
   */
  Future<List<ChangeOutcome>> apply(Scope scope, List<Change> changes);

  /** Removes a memory and records a DELETE history row; fails NOT_FOUND for an unknown id. */
  Future<MemoryRecord> delete(String id, String at);

  /** Erases every memory of the scope and their history; returns how many memories went. */
  Future<Integer> deleteScope(Scope scope);

  /** Fails NOT_FOUND for an unknown id. */
  Future<MemoryRecord> get(String id);

  /** Newest first. */
  Future<List<MemoryRecord>> list(Scope scope, Filter filter, int limit);

  /** How many memories of the scope match the filter, counted by the store without reading them. */
  Future<Long> count(Scope scope, Filter filter);

  /** Best first. */
  Future<List<ScoredMemory>> search(SearchQuery query);

  /** Oldest first; the history outlives the memory until its scope is erased. */
  Future<List<HistoryEntry>> history(String memoryId);

  Future<Void> reset();

  Future<JsonObject> health();

  Future<Void> close();

  record EmbeddingSpec(String model, int dimension) {
  }

  /** The stored memory after the insert, and whether it was added now or was already there. */
  record InsertOutcome(MemoryRecord record, String event) {
    public static final String ADD = "ADD";
    public static final String NONE = "NONE";
  }

  record UpdateOutcome(MemoryRecord record, String previousText) {
  }

  /** A change to a memory: new text (with hash and vector) and/or metadata to merge (a null value removes a key). */
  record MemoryPatch(String id, String text, String hash, float[] vector, JsonObject metadata, String at) {
    /** The memory as this patch leaves it: new text re-hashed and re-embedded, metadata merged, updated now. */
    public MemoryRecord applyTo(MemoryRecord current) {
      MemoryRecord next = current;
      if (text != null) {
        next = next.withText(text, hash, vector, at);
      }
      if (metadata != null) {
        next = next.withMetadata(MetadataMerge.merge(current.metadata(), metadata), at);
      }
      return next;
    }
  }

  /**
   * A search result. {@code details} holds the parts of the score when the query asked to explain it:
   * {@code vector} (cosine), {@code keyword} (BM25), their ranks and {@code fused}; otherwise null.
   */
  record ScoredMemory(MemoryRecord record, double score, JsonObject details) {
    public ScoredMemory(MemoryRecord record, double score) {
      this(record, score, null);
    }
  }

  /** One change of an {@link #apply}. */
  sealed interface Change permits Change.Add, Change.Update, Change.Delete {
    /** The memory the change concerns. */
    String id();

    record Add(MemoryRecord record) implements Change {
      @Override
      public String id() {
        return record.id();
      }
    }

    record Update(MemoryPatch patch) implements Change {
      @Override
      public String id() {
        return patch.id();
      }
    }

    record Delete(String id, String at) implements Change {
    }
  }

  /**
   * What a change did: event ADD, NONE (an ADD of a text already there: {@code record} is the existing memory),
   * UPDATE (with the previous text) or DELETE ({@code record} is the memory as it was).
   */
  record ChangeOutcome(String event, MemoryRecord record, String previousText) {
  }

  /**
   * VECTOR ranks by cosine similarity, KEYWORD by BM25 over the searchable text, HYBRID fuses both with
   * {@link dev.memgate.vector.ranking.HybridFusion}. The threshold is a least cosine similarity, as in mem0: it drops
   * results in vector and hybrid mode (whatever their fused score), and has nothing to compare with in keyword mode.
   */
  enum SearchMode {
    VECTOR, KEYWORD, HYBRID;

    public static SearchMode parse(String text) {
      return text == null ? VECTOR : valueOf(text.toUpperCase(java.util.Locale.ROOT));
    }
  }

  record SearchQuery(Scope scope, float[] vector, String text, Filter filter, int limit, Double threshold,
                     SearchMode mode, boolean explain) {
  }
}
