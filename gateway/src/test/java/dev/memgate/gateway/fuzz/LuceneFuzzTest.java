package dev.memgate.gateway.fuzz;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.StoreFixture;

/** The fuzz suite on the embedded Lucene store. */
class LuceneFuzzTest extends FuzzSuite {
  @Override
  protected StoreFixture createStore() {
    return new LuceneStore();
  }
}
