package dev.memgate.gateway.behaviour;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.StoreFixture;

/** The service behaviour suite on the embedded Lucene store. */
class LuceneServiceTest extends ServiceBehaviour {
  @Override
  protected StoreFixture createStore() {
    return new LuceneStore();
  }
}
