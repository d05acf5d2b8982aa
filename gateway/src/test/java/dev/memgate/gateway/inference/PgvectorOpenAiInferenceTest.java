package dev.memgate.gateway.inference;

import dev.memgate.gateway.testing.PgvectorStore;
import dev.memgate.gateway.testing.StoreFixture;

/** The inference scenarios on PostgreSQL with pgvector, in a database of their own. */
class PgvectorOpenAiInferenceTest extends OpenAiInferenceBehaviour {
  @Override
  protected StoreFixture createStore() {
    return new PgvectorStore();
  }
}
