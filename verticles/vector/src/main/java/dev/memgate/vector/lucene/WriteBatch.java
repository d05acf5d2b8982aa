package dev.memgate.vector.lucene;

import dev.memgate.contract.Scope;
import dev.memgate.vector.HistoryEntry;
import dev.memgate.vector.MemoryRecord;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.IndexSearcher;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The writes of one group commit. Reads inside the batch see the last commit plus the batch's own changes, so two
 * writes queued together behave exactly as if they had been committed one after the other.
 */
final class WriteBatch {

  /** Reads committed state; implemented by the store. */
  interface Reader {
    MemoryRecord byId(IndexSearcher searcher, String id) throws IOException;

    Optional<MemoryRecord> byScopeAndHash(IndexSearcher searcher, String scopeKey, String hash,
                                          Predicate<String> skipId) throws IOException;

    List<MemoryRecord> inScope(IndexSearcher searcher, Scope scope) throws IOException;

    long nextSeq();
  }

  private final IndexWriter writer;
  private final IndexSearcher committed;
  private final Reader reader;
  private final Function<MemoryRecord, Document> documents;
  /** Memories changed in this batch: the new state, or empty when deleted. */
  private final Map<String, Optional<MemoryRecord>> touched = new HashMap<>();
  private boolean dirty;
  /** After a reset inside this batch, nothing committed before it exists any more. */
  private boolean erasedAll;

  WriteBatch(IndexWriter writer, IndexSearcher committed, Reader reader, Function<MemoryRecord, Document> documents) {
    this.writer = writer;
    this.committed = committed;
    this.reader = reader;
    this.documents = documents;
  }

  MemoryRecord current(String id) throws IOException {
    Optional<MemoryRecord> changed = touched.get(id);
    if (changed != null) {
      return changed.orElse(null);
    }
    return erasedAll ? null : reader.byId(committed, id);
  }

  Optional<MemoryRecord> duplicateOf(MemoryRecord candidate) throws IOException {
    String scopeKey = candidate.scope().key();
    for (Optional<MemoryRecord> changed : touched.values()) {
      if (changed.isPresent() && changed.get().scope().key().equals(scopeKey)
        && changed.get().hash().equals(candidate.hash())) {
        return changed;
      }
    }
    if (erasedAll) {
      return Optional.empty();
    }
    return reader.byScopeAndHash(committed, scopeKey, candidate.hash(), touched::containsKey);
  }

  List<MemoryRecord> inScope(Scope scope) throws IOException {
    List<MemoryRecord> found = new ArrayList<>();
    if (!erasedAll) {
      reader.inScope(committed, scope).stream().filter(r -> !touched.containsKey(r.id())).forEach(found::add);
    }
    touched.values().forEach(changed -> changed.filter(r -> scope.covers(r.scope())).ifPresent(found::add));
    return found;
  }

  /** Whether a memory of scope {@code record} is among the memories a read of {@code scope} returns. */
  void put(MemoryRecord record) throws IOException {
    writer.updateDocument(LuceneSchema.memoryId(record.id()), documents.apply(record));
    touched.put(record.id(), Optional.of(record));
    dirty = true;
  }

  void remove(String id) throws IOException {
    writer.deleteDocuments(LuceneSchema.memoryId(id));
    touched.put(id, Optional.empty());
    dirty = true;
  }

  void history(HistoryEntry entry, Scope scope) throws IOException {
    writer.addDocument(LuceneSchema.historyDocument(entry, scope, reader.nextSeq()));
    dirty = true;
  }

  /** Erases every memory and history row of the scope. */
  void eraseScope(Scope scope, List<MemoryRecord> memories) throws IOException {
    writer.deleteDocuments(LuceneSchema.everythingOf(scope));
    // History rows carry the scope of their memory, so the query above reaches them too.
    memories.forEach(r -> touched.put(r.id(), Optional.empty()));
    dirty = true;
  }

  void eraseAll() throws IOException {
    writer.deleteAll();
    touched.clear();
    erasedAll = true;
    dirty = true;
  }

  boolean dirty() {
    return dirty;
  }
}
