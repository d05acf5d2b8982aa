package dev.memgate.gateway.behaviour;

import dev.memgate.gateway.testing.PgvectorStore;
import dev.memgate.gateway.testing.StoreFixture;

/** The service behaviour suite on PostgreSQL with pgvector, in a database of its own. */
class PgvectorServiceTest extends ServiceBehaviour {
  @Override
  protected StoreFixture createStore() {
    return new PgvectorStore();
  }
}
