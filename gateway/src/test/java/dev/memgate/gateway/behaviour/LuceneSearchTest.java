package dev.memgate.gateway.behaviour;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.StoreFixture;

/** The search behaviour suite on the embedded Lucene store. */
class LuceneSearchTest extends SearchBehaviour {
  @Override
  protected StoreFixture createStore() {
    return new LuceneStore();
  }
}
