package dev.memgate.vector.lucene;

import dev.memgate.contract.Fields;
import dev.memgate.contract.Scope;
import dev.memgate.contract.SearchableText;
import dev.memgate.vector.HistoryEntry;
import dev.memgate.vector.MemoryRecord;
import dev.memgate.vector.filter.Filter;
import io.vertx.core.json.JsonObject;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.search.similarities.Similarity;
import org.apache.lucene.util.BytesRef;

import java.time.Instant;

/**
 * How memories and history rows are laid out in the one Lucene index: both kinds live side by side so that a
 * memory change and its history row land in the same commit.
 */
final class LuceneSchema {
  static final String KIND = "kind";
  static final String KIND_MEMORY = "memory";
  static final String KIND_HISTORY = "history";

  static final String ID = "id";
  static final String SCOPE_KEY = "scope_key";
  static final String HASH = "hash";
  static final String TEXT = "text";
  /** The memory as keyword search sees it ({@link SearchableText#forKeywords}): BM25 runs on this. */
  static final String SEARCH_TEXT = "search_text";
  static final String METADATA = "metadata";
  static final String CREATED_AT = "created_at";
  static final String UPDATED_AT = "updated_at";
  static final String CREATED_MS = "created_ms";
  /** The speaker again, as doc values: hybrid search reads it for a hundred candidates without stored fields. */
  static final String ACTOR_VALUE = "actor_value";
  static final String FILTER_VIEW = "filter_view";
  /** A memory's expiration date (YYYY-MM-DD), indexed so that hiding expired memories costs a range query. */
  static final String EXPIRES = "expires";
  static final String VECTOR = "vector";

  static final String HISTORY_ID = "history_id";
  static final String MEMORY_ID = "memory_id";
  static final String OLD_MEMORY = "old_memory";
  static final String NEW_MEMORY = "new_memory";
  static final String EVENT = "event";
  static final String IS_DELETED = "is_deleted";
  static final String SEQ = "seq";

  /** Commit user data keys. */
  static final String META_SCHEMA = "memgate.schema";
  static final String META_MODEL = "memgate.embedding.model";
  static final String META_DIMENSION = "memgate.embedding.dimension";
  static final String META_SEARCHABLE_TEXT = "memgate.searchable_text";
  /** 2: keyword index over {@link #SEARCH_TEXT}. */
  static final String SCHEMA_VERSION = "2";

  private LuceneSchema() {
  }

  /** English stemming and stop words for BM25 keyword ranking of memory texts. */
  static Analyzer analyzer() {
    return new MemoryTextAnalyzer();
  }

  /**
   * BM25 with the usual k1 and a milder length normalisation than the usual b = 0.75: memories are short, and a
   * short one that names the query's words is not better for being short (b = 0.5 measured best on LoCoMo's tuning
   * conversations; the index stores only lengths, so b can change without reindexing).
   */
  static Similarity similarity() {
    return new BM25Similarity(1.2f, 0.5f);
  }

  static Document memoryDocument(MemoryRecord record) {
    Document doc = new Document();
    doc.add(new StringField(KIND, KIND_MEMORY, Field.Store.NO));
    doc.add(new StringField(ID, record.id(), Field.Store.YES));
    doc.add(new StringField(SCOPE_KEY, record.scope().key(), Field.Store.NO));
    doc.add(new StringField(HASH, record.hash(), Field.Store.YES));
    addScope(doc, record.scope());
    if (record.actorId() != null) {
      doc.add(new StringField(Fields.ACTOR_ID, record.actorId(), Field.Store.YES));
      doc.add(new SortedDocValuesField(ACTOR_VALUE, new BytesRef(record.actorId())));
    }
    if (record.role() != null) {
      doc.add(new StringField(Fields.ROLE, record.role(), Field.Store.YES));
    }
    doc.add(new StoredField(TEXT, record.text()));
    doc.add(new TextField(SEARCH_TEXT, SearchableText.forKeywords(record.text(), record.actorId(), record.createdAt()),
      Field.Store.NO));
    doc.add(new StoredField(METADATA, record.metadata().encode()));
    doc.add(new StoredField(CREATED_AT, record.createdAt()));
    doc.add(new StoredField(UPDATED_AT, record.updatedAt()));
    doc.add(new NumericDocValuesField(CREATED_MS, Instant.parse(record.createdAt()).toEpochMilli()));
    doc.add(new BinaryDocValuesField(FILTER_VIEW, new BytesRef(record.filterView().encode())));
    if (record.metadata().getValue(Filter.Unexpired.FIELD) instanceof String expires) {
      doc.add(new StringField(EXPIRES, expires, Field.Store.NO));
    }
    doc.add(new KnnFloatVectorField(VECTOR, record.vector(), VectorSimilarityFunction.DOT_PRODUCT));
    return doc;
  }

  static Document historyDocument(HistoryEntry entry, Scope scope, long seq) {
    Document doc = new Document();
    doc.add(new StringField(KIND, KIND_HISTORY, Field.Store.NO));
    doc.add(new StringField(HISTORY_ID, entry.id(), Field.Store.YES));
    doc.add(new StringField(MEMORY_ID, entry.memoryId(), Field.Store.YES));
    addScope(doc, scope);
    storeIfPresent(doc, OLD_MEMORY, entry.oldMemory());
    storeIfPresent(doc, NEW_MEMORY, entry.newMemory());
    doc.add(new StoredField(EVENT, entry.event()));
    doc.add(new StoredField(CREATED_AT, entry.createdAt()));
    doc.add(new StoredField(UPDATED_AT, entry.updatedAt()));
    doc.add(new StoredField(IS_DELETED, entry.isDeleted() ? 1 : 0));
    // Same field type as in memory documents: Lucene wants one schema per field name across the index.
    if (entry.actorId() != null) {
      doc.add(new StringField(Fields.ACTOR_ID, entry.actorId(), Field.Store.YES));
    }
    if (entry.role() != null) {
      doc.add(new StringField(Fields.ROLE, entry.role(), Field.Store.YES));
    }
    doc.add(new NumericDocValuesField(SEQ, seq));
    doc.add(new StoredField(SEQ, seq));
    return doc;
  }

  private static void addScope(Document doc, Scope scope) {
    if (scope.userId() != null) {
      doc.add(new StringField(Fields.USER_ID, scope.userId(), Field.Store.YES));
    }
    if (scope.agentId() != null) {
      doc.add(new StringField(Fields.AGENT_ID, scope.agentId(), Field.Store.YES));
    }
    if (scope.runId() != null) {
      doc.add(new StringField(Fields.RUN_ID, scope.runId(), Field.Store.YES));
    }
  }

  private static void storeIfPresent(Document doc, String field, String value) {
    if (value != null) {
      doc.add(new StoredField(field, value));
    }
  }

  static MemoryRecord memoryFrom(Document doc, float[] vector) {
    Scope scope = new Scope(doc.get(Fields.USER_ID), doc.get(Fields.AGENT_ID), doc.get(Fields.RUN_ID));
    return new MemoryRecord(doc.get(ID), doc.get(TEXT), doc.get(HASH), scope, doc.get(Fields.ACTOR_ID),
      doc.get(Fields.ROLE), new JsonObject(doc.get(METADATA)), doc.get(CREATED_AT), doc.get(UPDATED_AT), vector);
  }

  static HistoryEntry historyFrom(Document doc) {
    return new HistoryEntry(doc.get(HISTORY_ID), doc.get(MEMORY_ID), doc.get(OLD_MEMORY), doc.get(NEW_MEMORY),
      doc.get(EVENT), doc.get(CREATED_AT), doc.get(UPDATED_AT), doc.getField(IS_DELETED).numericValue().intValue() == 1,
      doc.get(Fields.ACTOR_ID), doc.get(Fields.ROLE));
  }

  static Term memoryId(String id) {
    return new Term(ID, id);
  }

  /** Memories whose ids equal every id the scope gives. */
  static BooleanQuery.Builder memoriesOf(Scope scope) {
    BooleanQuery.Builder query = new BooleanQuery.Builder()
      .add(new TermQuery(new Term(KIND, KIND_MEMORY)), BooleanClause.Occur.FILTER);
    addScopeClauses(query, scope);
    return query;
  }

  /** Every row (memory or history) of the scope: what erasing a scope removes. */
  static Query everythingOf(Scope scope) {
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    addScopeClauses(query, scope);
    return query.build();
  }

  private static void addScopeClauses(BooleanQuery.Builder query, Scope scope) {
    if (scope.userId() != null) {
      query.add(new TermQuery(new Term(Fields.USER_ID, scope.userId())), BooleanClause.Occur.FILTER);
    }
    if (scope.agentId() != null) {
      query.add(new TermQuery(new Term(Fields.AGENT_ID, scope.agentId())), BooleanClause.Occur.FILTER);
    }
    if (scope.runId() != null) {
      query.add(new TermQuery(new Term(Fields.RUN_ID, scope.runId())), BooleanClause.Occur.FILTER);
    }
  }
}
