package dev.memgate.gateway.access;

import dev.memgate.gateway.testing.PgvectorStore;
import dev.memgate.gateway.testing.StoreFixture;

/** Keys in PostgreSQL, beside the memories, where every node of a cluster finds them. */
class PgvectorKeyLifecycleTest extends KeyLifecycleBehaviour {
  @Override
  protected StoreFixture store() {
    return new PgvectorStore();
  }
}
