package dev.memgate.gateway.access;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.StoreFixture;

class LuceneAppsTest extends AppsBehaviour {
  @Override
  protected StoreFixture store() {
    return new LuceneStore();
  }
}
