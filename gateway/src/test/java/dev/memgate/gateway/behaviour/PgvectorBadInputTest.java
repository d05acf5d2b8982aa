package dev.memgate.gateway.behaviour;

import dev.memgate.gateway.testing.PgvectorStore;
import dev.memgate.gateway.testing.StoreFixture;

/** The bad-input behaviour suite on PostgreSQL with pgvector, in a database of its own. */
class PgvectorBadInputTest extends BadInputBehaviour {
  @Override
  protected StoreFixture createStore() {
    return new PgvectorStore();
  }
}
