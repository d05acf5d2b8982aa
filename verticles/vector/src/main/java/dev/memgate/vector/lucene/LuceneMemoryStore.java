package dev.memgate.vector.lucene;

import dev.memgate.contract.BusFailure;
import dev.memgate.contract.Scope;
import dev.memgate.contract.SearchableText;
import dev.memgate.vector.ChangeChecks;
import dev.memgate.vector.HistoryEntry;
import dev.memgate.vector.MemoryRecord;
import dev.memgate.vector.MemoryStore;
import dev.memgate.vector.filter.Filter;
import dev.memgate.vector.ranking.HybridFusion;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The embedded store: one Lucene index on disk holding memories (HNSW vectors, BM25 text, stored fields) and their
 * history. Writes go through the {@link GroupCommitWriter}; reads run on a small pool of worker threads against the
 * last commit.
 */
public final class LuceneMemoryStore implements MemoryStore {
  private static final Logger LOG = LoggerFactory.getLogger(LuceneMemoryStore.class);
  private static final int MAX_HISTORY = 10_000;

  private final Vertx vertx;
  private final Path path;
  private final int readThreads;
  private final AtomicLong seq = new AtomicLong();
  private FSDirectory directory;
  private IndexWriter writer;
  private SearcherManager searchers;
  private GroupCommitWriter commits;
  private WorkerExecutor readers;
  private LuceneSearches searches;
  private EmbeddingSpec embedding;

  public LuceneMemoryStore(Vertx vertx, Path path, int readThreads) {
    this.vertx = vertx;
    this.path = path;
    this.readThreads = readThreads;
  }

  @Override
  public String name() {
    return "lucene";
  }

  @Override
  public Future<Void> open(EmbeddingSpec spec) {
    this.embedding = spec;
    readers = vertx.createSharedWorkerExecutor("memgate-lucene-read", readThreads, 60, TimeUnit.SECONDS);
    return readers.executeBlocking(() -> {
      openBlocking(spec);
      return null;
    });
  }

  private void openBlocking(EmbeddingSpec spec) throws IOException {
    Files.createDirectories(path);
    directory = FSDirectory.open(path);
    Analyzer analyzer = LuceneSchema.analyzer();
    searches = new LuceneSearches(analyzer, new HybridFusion(HybridFusion.DEFAULT));
    IndexWriterConfig config = new IndexWriterConfig(analyzer)
      .setSimilarity(LuceneSchema.similarity())
      .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
      .setRAMBufferSizeMB(64)
      .setCommitOnClose(true);
    try {
      writer = new IndexWriter(directory, config);
    } catch (LockObtainFailedException locked) {
      directory.close();
      throw new IllegalStateException("the data directory " + path + " is in use by another Memgate process");
    }
    Map<String, String> meta = new HashMap<>();
    Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
    if (live != null) {
      live.forEach(e -> meta.put(e.getKey(), e.getValue()));
    }
    String storedModel = meta.get(LuceneSchema.META_MODEL);
    String storedDimension = meta.get(LuceneSchema.META_DIMENSION);
    if (storedModel != null && (!storedModel.equals(spec.model())
      || !storedDimension.equals(String.valueOf(spec.dimension())))) {
      writer.rollback();
      directory.close();
      throw new IllegalStateException("the store at " + path + " was built with embedding model " + storedModel
        + " (" + storedDimension + " dimensions) but the configured embedder is " + spec.model() + " ("
        + spec.dimension() + " dimensions); use the same embedder, or another MEMGATE_DATA_DIR");
    }
    String storedSchema = meta.getOrDefault(LuceneSchema.META_SCHEMA, LuceneSchema.SCHEMA_VERSION);
    String storedText = meta.getOrDefault(LuceneSchema.META_SEARCHABLE_TEXT, SearchableText.VERSION);
    if (storedModel != null && (!storedSchema.equals(LuceneSchema.SCHEMA_VERSION)
      || !storedText.equals(SearchableText.VERSION))) {
      writer.rollback();
      directory.close();
      throw new IllegalStateException("the store at " + path + " was written by another version of Memgate (index "
        + "schema " + storedSchema + ", searchable text " + storedText + "; this one needs " + LuceneSchema
        .SCHEMA_VERSION + " and " + SearchableText.VERSION + "); use another MEMGATE_DATA_DIR");
    }
    if (storedModel == null) {
      writer.setLiveCommitData(Map.of(
        LuceneSchema.META_SCHEMA, LuceneSchema.SCHEMA_VERSION,
        LuceneSchema.META_SEARCHABLE_TEXT, SearchableText.VERSION,
        LuceneSchema.META_MODEL, spec.model(),
        LuceneSchema.META_DIMENSION, String.valueOf(spec.dimension())).entrySet());
      writer.commit();
    }
    searchers = new SearcherManager(writer, new SearcherFactory() {
      @Override
      public IndexSearcher newSearcher(IndexReader reader, IndexReader previous) {
        IndexSearcher searcher = new IndexSearcher(reader);
        searcher.setSimilarity(LuceneSchema.similarity());
        return searcher;
      }
    });
    seq.set(maxHistorySeq());
    commits = new GroupCommitWriter(writer, searchers, new CommittedReader(), LuceneSchema::memoryDocument);
    LOG.info("lucene store open at {} ({} memories)", path, count(LuceneSchema.KIND_MEMORY));
  }

  private long maxHistorySeq() throws IOException {
    return withSearcher(searcher -> {
      TopDocs top = searcher.search(new TermQuery(new Term(LuceneSchema.KIND, LuceneSchema.KIND_HISTORY)), 1,
        new Sort(new SortField(LuceneSchema.SEQ, SortField.Type.LONG, true)));
      if (top.scoreDocs.length == 0) {
        return 0L;
      }
      return searcher.storedFields().document(top.scoreDocs[0].doc).getField(LuceneSchema.SEQ).numericValue()
        .longValue();
    });
  }

  // ---- writes ------------------------------------------------------------------------------------------------

  @Override
  public Future<List<InsertOutcome>> insert(List<MemoryRecord> records) {
    for (MemoryRecord record : records) {
      if (record.vector() == null || record.vector().length != embedding.dimension()) {
        return Future.failedFuture(BusFailure.badInput("vector", "vector of " + embedding.dimension()
          + " dimensions required").toException());
      }
    }
    return commits.submit(vertx.getOrCreateContext(), batch -> {
      List<InsertOutcome> outcomes = new ArrayList<>();
      for (MemoryRecord record : records) {
        Optional<MemoryRecord> existing = batch.duplicateOf(record);
        if (existing.isPresent()) {
          outcomes.add(new InsertOutcome(existing.get(), InsertOutcome.NONE));
          continue;
        }
        batch.put(record);
        batch.history(new HistoryEntry(UUID.randomUUID().toString(), record.id(), null, record.text(),
          HistoryEntry.ADD, record.createdAt(), record.createdAt(), false, record.actorId(), record.role()),
          record.scope());
        outcomes.add(new InsertOutcome(record, InsertOutcome.ADD));
      }
      return outcomes;
    });
  }

  @Override
  public Future<UpdateOutcome> update(MemoryPatch patch) {
    if (patch.vector() != null && patch.vector().length != embedding.dimension()) {
      return Future.failedFuture(BusFailure.badInput("vector", "vector of " + embedding.dimension()
        + " dimensions required").toException());
    }
    return commits.submit(vertx.getOrCreateContext(), batch -> {
      MemoryRecord current = batch.current(patch.id());
      if (current == null) {
        throw BusFailure.notFound("no memory with id " + patch.id()).toException();
      }
      MemoryRecord next = patch.applyTo(current);
      batch.put(next);
      batch.history(new HistoryEntry(UUID.randomUUID().toString(), current.id(), current.text(), next.text(),
        HistoryEntry.UPDATE, current.createdAt(), patch.at(), false, current.actorId(), current.role()),
        current.scope());
      return new UpdateOutcome(next, current.text());
    });
  }

  @Override
  public Future<List<ChangeOutcome>> apply(Scope scope, List<Change> changes) {
    BusFailure refusal = ChangeChecks.refusal(changes, embedding.dimension());
    if (refusal != null) {
      return Future.failedFuture(refusal.toException());
    }
    return commits.submit(vertx.getOrCreateContext(), batch -> {
      // Check everything first: a refusal must leave nothing behind.
      Map<String, MemoryRecord> current = new HashMap<>();
      for (Change change : changes) {
        MemoryRecord existing = batch.current(change.id());
        if (change instanceof Change.Add) {
          if (existing != null) {
            throw BusFailure.badInput("changes", "memory " + change.id() + " already exists").toException();
          }
        } else if (existing == null || !scope.covers(existing.scope())) {
          throw BusFailure.conflict("memory " + change.id() + " was deleted or changed while the add ran; "
            + "nothing was written, send the add again").toException();
        } else {
          current.put(change.id(), existing);
        }
      }
      List<ChangeOutcome> outcomes = new ArrayList<>(changes.size());
      for (Change change : changes) {
        outcomes.add(switch (change) {
          case Change.Add add -> applyAdd(batch, add.record());
          case Change.Update update -> applyUpdate(batch, current.get(update.id()), update.patch());
          case Change.Delete delete -> applyDelete(batch, current.get(delete.id()), delete.at());
        });
      }
      return outcomes;
    });
  }

  private static ChangeOutcome applyAdd(WriteBatch batch, MemoryRecord record) throws IOException {
    Optional<MemoryRecord> existing = batch.duplicateOf(record);
    if (existing.isPresent()) {
      return new ChangeOutcome(InsertOutcome.NONE, existing.get(), null);
    }
    batch.put(record);
    batch.history(new HistoryEntry(UUID.randomUUID().toString(), record.id(), null, record.text(),
      HistoryEntry.ADD, record.createdAt(), record.createdAt(), false, record.actorId(), record.role()),
      record.scope());
    return new ChangeOutcome(HistoryEntry.ADD, record, null);
  }

  private static ChangeOutcome applyUpdate(WriteBatch batch, MemoryRecord current, MemoryPatch patch)
    throws IOException {
    MemoryRecord next = patch.applyTo(current);
    batch.put(next);
    batch.history(new HistoryEntry(UUID.randomUUID().toString(), current.id(), current.text(), next.text(),
      HistoryEntry.UPDATE, current.createdAt(), patch.at(), false, current.actorId(), current.role()),
      current.scope());
    return new ChangeOutcome(HistoryEntry.UPDATE, next, current.text());
  }

  private static ChangeOutcome applyDelete(WriteBatch batch, MemoryRecord current, String at) throws IOException {
    batch.remove(current.id());
    batch.history(new HistoryEntry(UUID.randomUUID().toString(), current.id(), current.text(), null,
      HistoryEntry.DELETE, current.createdAt(), at, true, current.actorId(), current.role()), current.scope());
    return new ChangeOutcome(HistoryEntry.DELETE, current, current.text());
  }

  @Override
  public Future<MemoryRecord> delete(String id, String at) {
    return commits.submit(vertx.getOrCreateContext(), batch -> {
      MemoryRecord current = batch.current(id);
      if (current == null) {
        throw BusFailure.notFound("no memory with id " + id).toException();
      }
      batch.remove(id);
      batch.history(new HistoryEntry(UUID.randomUUID().toString(), id, current.text(), null, HistoryEntry.DELETE,
        current.createdAt(), at, true, current.actorId(), current.role()), current.scope());
      return current;
    });
  }

  @Override
  public Future<Integer> deleteScope(Scope scope) {
    return commits.submit(vertx.getOrCreateContext(), batch -> {
      List<MemoryRecord> memories = batch.inScope(scope);
      batch.eraseScope(scope, memories);
      return memories.size();
    });
  }

  @Override
  public Future<Void> reset() {
    return commits.submit(vertx.getOrCreateContext(), batch -> {
      batch.eraseAll();
      return null;
    });
  }

  // ---- reads -------------------------------------------------------------------------------------------------

  @Override
  public Future<MemoryRecord> get(String id) {
    return read(() -> withSearcher(searcher -> recordById(searcher, id, false)))
      .compose(found -> found == null
        ? Future.failedFuture(BusFailure.notFound("no memory with id " + id).toException())
        : Future.succeededFuture(found));
  }

  @Override
  public Future<List<MemoryRecord>> list(Scope scope, Filter filter, int limit) {
    return read(() -> withSearcher(searcher -> {
      TopDocs top = searcher.search(filterQuery(scope, filter), limit,
        new Sort(new SortField(LuceneSchema.CREATED_MS, SortField.Type.LONG, true), SortField.FIELD_DOC));
      List<MemoryRecord> records = new ArrayList<>();
      StoredFields stored = searcher.storedFields();
      for (ScoreDoc hit : top.scoreDocs) {
        records.add(LuceneSchema.memoryFrom(stored.document(hit.doc), null));
      }
      return records;
    }));
  }

  @Override
  public Future<Long> count(Scope scope, Filter filter) {
    return read(() -> withSearcher(searcher -> (long) searcher.count(filterQuery(scope, filter))));
  }

  @Override
  public Future<List<ScoredMemory>> search(SearchQuery query) {
    Query filter = filterQuery(query.scope(), query.filter());
    return read(() -> withSearcher(searcher -> switch (query.mode()) {
      case VECTOR -> searches.byVector(searcher, query, filter);
      case KEYWORD -> searches.byKeywords(searcher, query, filter);
      case HYBRID -> searches.hybrid(searcher, query, filter);
    }));
  }

  @Override
  public Future<List<HistoryEntry>> history(String memoryId) {
    return read(() -> withSearcher(searcher -> {
      Query query = new BooleanQuery.Builder()
        .add(new TermQuery(new Term(LuceneSchema.KIND, LuceneSchema.KIND_HISTORY)), BooleanClause.Occur.FILTER)
        .add(new TermQuery(new Term(LuceneSchema.MEMORY_ID, memoryId)), BooleanClause.Occur.FILTER)
        .build();
      TopDocs top = searcher.search(query, MAX_HISTORY, new Sort(new SortField(LuceneSchema.SEQ,
        SortField.Type.LONG)));
      List<HistoryEntry> entries = new ArrayList<>();
      StoredFields stored = searcher.storedFields();
      for (ScoreDoc hit : top.scoreDocs) {
        entries.add(LuceneSchema.historyFrom(stored.document(hit.doc)));
      }
      return entries;
    }));
  }

  @Override
  public Future<JsonObject> health() {
    return read(() -> {
      JsonObject health = new JsonObject()
        .put("status", commits.brokenReason() == null ? "UP" : "DOWN")
        .put("store", name())
        .put("path", path.toAbsolutePath().toString())
        .put("embedding_model", embedding.model())
        .put("embedding_dimension", embedding.dimension())
        .put("memories", count(LuceneSchema.KIND_MEMORY))
        .put("history_rows", count(LuceneSchema.KIND_HISTORY))
        .put("queued_writes", commits.queued())
        .put("commits", commits.commits())
        .put("write_operations", commits.operations())
        .put("last_commit_ms", commits.lastCommitMicros() / 1000.0);
      if (commits.brokenReason() != null) {
        health.put("reason", commits.brokenReason());
      }
      return health;
    });
  }

  @Override
  public Future<Void> close() {
    if (readers == null) {
      return Future.succeededFuture();
    }
    return readers.executeBlocking(() -> {
      if (commits != null) {
        commits.close();
      }
      if (searchers != null) {
        searchers.close();
      }
      if (writer != null && writer.isOpen()) {
        writer.close();
      }
      if (directory != null) {
        directory.close();
      }
      return (Void) null;
    }).eventually(() -> readers.close());
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  /**
   * The scope's terms, then the filter. Expiry (which every search and list carries) becomes a range query on the
   * indexed date rather than a check of each memory's filter view, which would read and parse every one.
   */
  private Query filterQuery(Scope scope, Filter filter) {
    BooleanQuery.Builder query = LuceneSchema.memoriesOf(scope);
    List<Filter> rest = new ArrayList<>();
    List<Filter> parts = filter instanceof Filter.All all ? all.parts() : filter == null ? List.of() : List.of(filter);
    for (Filter part : parts) {
      if (part instanceof Filter.Unexpired unexpired) {
        query.add(TermRangeQuery.newStringRange(LuceneSchema.EXPIRES, null, unexpired.day(), true, false),
          BooleanClause.Occur.MUST_NOT);
      } else if (!part.isMatchAll()) {
        rest.add(part);
      }
    }
    if (!rest.isEmpty()) {
      query.add(new FilterViewQuery(rest.size() == 1 ? rest.get(0) : new Filter.All(rest)),
        BooleanClause.Occur.FILTER);
    }
    return query.build();
  }

  private int count(String kind) throws IOException {
    return withSearcher(searcher -> searcher.count(new TermQuery(new Term(LuceneSchema.KIND, kind))));
  }

  private <T> Future<T> read(Callable<T> work) {
    return readers.executeBlocking(work, false);
  }

  private interface SearcherWork<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  private <T> T withSearcher(SearcherWork<T> work) throws IOException {
    IndexSearcher searcher = searchers.acquire();
    try {
      return work.apply(searcher);
    } finally {
      searchers.release(searcher);
    }
  }

  private static MemoryRecord recordById(IndexSearcher searcher, String id, boolean withVector) throws IOException {
    Query query = new BooleanQuery.Builder()
      .add(new TermQuery(new Term(LuceneSchema.KIND, LuceneSchema.KIND_MEMORY)), BooleanClause.Occur.FILTER)
      .add(new TermQuery(LuceneSchema.memoryId(id)), BooleanClause.Occur.FILTER)
      .build();
    TopDocs top = searcher.search(query, 1);
    if (top.scoreDocs.length == 0) {
      return null;
    }
    int doc = top.scoreDocs[0].doc;
    Document stored = searcher.storedFields().document(doc);
    return LuceneSchema.memoryFrom(stored, withVector ? vectorOf(searcher, doc) : null);
  }

  private static float[] vectorOf(IndexSearcher searcher, int doc) throws IOException {
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    int local = doc - leaf.docBase;
    FloatVectorValues values = leaf.reader().getFloatVectorValues(LuceneSchema.VECTOR);
    if (values == null) {
      return null;
    }
    KnnVectorValues.DocIndexIterator iterator = values.iterator();
    if (iterator.advance(local) != local) {
      return null;
    }
    return values.vectorValue(iterator.index()).clone();
  }

  /** Committed-state reads for the writer thread. */
  private final class CommittedReader implements WriteBatch.Reader {
    @Override
    public MemoryRecord byId(IndexSearcher searcher, String id) throws IOException {
      return recordById(searcher, id, true);
    }

    @Override
    public Optional<MemoryRecord> byScopeAndHash(IndexSearcher searcher, String scopeKey, String hash,
                                                 Predicate<String> skipId) throws IOException {
      Query query = new BooleanQuery.Builder()
        .add(new TermQuery(new Term(LuceneSchema.KIND, LuceneSchema.KIND_MEMORY)), BooleanClause.Occur.FILTER)
        .add(new TermQuery(new Term(LuceneSchema.SCOPE_KEY, scopeKey)), BooleanClause.Occur.FILTER)
        .add(new TermQuery(new Term(LuceneSchema.HASH, hash)), BooleanClause.Occur.FILTER)
        .build();
      TopDocs top = searcher.search(query, 16);
      StoredFields stored = searcher.storedFields();
      for (ScoreDoc hit : top.scoreDocs) {
        Document doc = stored.document(hit.doc);
        if (!skipId.test(doc.get(LuceneSchema.ID))) {
          return Optional.of(LuceneSchema.memoryFrom(doc, vectorOf(searcher, hit.doc)));
        }
      }
      return Optional.empty();
    }

    @Override
    public List<MemoryRecord> inScope(IndexSearcher searcher, Scope scope) throws IOException {
      Query query = LuceneSchema.memoriesOf(scope).build();
      int total = searcher.count(query);
      List<MemoryRecord> records = new ArrayList<>(total);
      if (total == 0) {
        return records;
      }
      TopDocs top = searcher.search(query, total);
      StoredFields stored = searcher.storedFields();
      for (ScoreDoc hit : top.scoreDocs) {
        records.add(LuceneSchema.memoryFrom(stored.document(hit.doc), null));
      }
      return records;
    }

    @Override
    public long nextSeq() {
      return seq.incrementAndGet();
    }
  }
}
