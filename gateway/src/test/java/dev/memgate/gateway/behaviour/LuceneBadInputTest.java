package dev.memgate.gateway.behaviour;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.StoreFixture;

/** The bad-input behaviour suite on the embedded Lucene store. */
class LuceneBadInputTest extends BadInputBehaviour {
  @Override
  protected StoreFixture createStore() {
    return new LuceneStore();
  }
}
