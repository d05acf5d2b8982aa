package dev.memgate.gateway.behaviour;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.StoreFixture;

/** The memory behaviour suite (add, list, get, update, delete, erase) on the embedded Lucene store. */
class LuceneMemoryApiTest extends MemoryApiBehaviour {
  @Override
  protected StoreFixture createStore() {
    return new LuceneStore();
  }
}
