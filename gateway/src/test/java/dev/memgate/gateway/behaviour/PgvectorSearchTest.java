package dev.memgate.gateway.behaviour;

import dev.memgate.gateway.testing.PgvectorStore;
import dev.memgate.gateway.testing.StoreFixture;

/** The search behaviour suite on PostgreSQL with pgvector, in a database of its own. */
class PgvectorSearchTest extends SearchBehaviour {
  @Override
  protected StoreFixture createStore() {
    return new PgvectorStore();
  }
}
