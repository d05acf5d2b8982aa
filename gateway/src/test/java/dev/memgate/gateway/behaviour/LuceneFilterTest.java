package dev.memgate.gateway.behaviour;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.StoreFixture;

/** The filter behaviour suite on the embedded Lucene store. */
class LuceneFilterTest extends FilterBehaviour {
  @Override
  protected StoreFixture createStore() {
    return new LuceneStore();
  }
}
