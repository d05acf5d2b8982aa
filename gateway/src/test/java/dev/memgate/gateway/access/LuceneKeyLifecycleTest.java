package dev.memgate.gateway.access;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.StoreFixture;

/** Keys in the data directory, beside the Lucene index. */
class LuceneKeyLifecycleTest extends KeyLifecycleBehaviour {
  @Override
  protected StoreFixture store() {
    return new LuceneStore();
  }
}
