package dev.memgate.gateway.access;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.StoreFixture;

class LuceneIsolationTest extends IsolationBehaviour {
  @Override
  protected StoreFixture store() {
    return new LuceneStore();
  }
}
