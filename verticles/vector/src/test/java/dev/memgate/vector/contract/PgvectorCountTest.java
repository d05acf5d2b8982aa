package dev.memgate.vector.contract;

import dev.memgate.vector.MemoryStore;
import dev.memgate.vector.pgvector.PgVectorMemoryStore;
import dev.memgate.vector.pgvector.TestDatabase;
import io.vertx.core.Vertx;

class PgvectorCountTest extends CountContract {
  private TestDatabase database;

  @Override
  protected MemoryStore open(Vertx vertx) {
    database = new TestDatabase(vertx);
    PgVectorMemoryStore store = new PgVectorMemoryStore(vertx, database.storeConfig());
    store.open(SPEC).await();
    return store;
  }

  @Override
  protected void closeStore() {
    database.close();
  }
}
