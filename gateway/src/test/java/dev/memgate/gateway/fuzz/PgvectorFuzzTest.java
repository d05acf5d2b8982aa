package dev.memgate.gateway.fuzz;

import dev.memgate.gateway.testing.PgvectorStore;
import dev.memgate.gateway.testing.StoreFixture;

/** The fuzz suite on PostgreSQL with pgvector, in a database of its own. */
class PgvectorFuzzTest extends FuzzSuite {
  @Override
  protected StoreFixture createStore() {
    return new PgvectorStore();
  }
}
