package dev.memgate.bench;

import dev.memgate.contract.Scope;
import dev.memgate.vector.MemoryStore;
import dev.memgate.vector.filter.Filter;

import java.util.List;

/** Phase 4 through the store's own Java interface, in this JVM: what the vector verticle calls, without the bus. */
final class StoreSearcher implements DirectSearcher {
  private final MemoryStore store;

  private StoreSearcher(MemoryStore store) {
    this.store = store;
  }

  static StoreSearcher open(MemoryStore store, MemoryStore.EmbeddingSpec embedding) {
    store.open(embedding).await();
    return new StoreSearcher(store);
  }

  @Override
  public String label() {
    return "store search in process";
  }

  @Override
  public String settings() {
    return "";
  }

  /** The query the vector service builds for a scoped search without filters or threshold. */
  @Override
  public Hit search(Question question, float[] vector) {
    MemoryStore.SearchQuery query = new MemoryStore.SearchQuery(new Scope(question.userId(), null, null), vector,
      question.text(), Filter.MATCH_ALL, HttpSearchPhase.LIMIT, null, MemoryStore.SearchMode.VECTOR, false);
    List<MemoryStore.ScoredMemory> hits = store.search(query).await();
    return new Hit(hits.stream().map(hit -> hit.record().id()).toList(), null);
  }

  @Override
  public void close() {
    store.close().await();
  }
}
