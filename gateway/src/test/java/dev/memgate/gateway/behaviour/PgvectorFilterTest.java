package dev.memgate.gateway.behaviour;

import dev.memgate.gateway.testing.PgvectorStore;
import dev.memgate.gateway.testing.StoreFixture;

/** The filter behaviour suite on PostgreSQL with pgvector, in a database of its own. */
class PgvectorFilterTest extends FilterBehaviour {
  @Override
  protected StoreFixture createStore() {
    return new PgvectorStore();
  }
}
