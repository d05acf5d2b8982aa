package dev.memgate.gateway.access;

import dev.memgate.gateway.testing.PgvectorStore;
import dev.memgate.gateway.testing.StoreFixture;

class PgvectorAppsTest extends AppsBehaviour {
  @Override
  protected StoreFixture store() {
    return new PgvectorStore();
  }
}
