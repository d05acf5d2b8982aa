package dev.memgate.gateway.access;

import dev.memgate.gateway.testing.PgvectorStore;
import dev.memgate.gateway.testing.StoreFixture;

class PgvectorIsolationTest extends IsolationBehaviour {
  @Override
  protected StoreFixture store() {
    return new PgvectorStore();
  }
}
