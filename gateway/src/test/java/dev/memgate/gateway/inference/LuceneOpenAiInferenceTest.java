package dev.memgate.gateway.inference;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.StoreFixture;

/** The inference scenarios on the embedded Lucene store. */
class LuceneOpenAiInferenceTest extends OpenAiInferenceBehaviour {
  @Override
  protected StoreFixture createStore() {
    return new LuceneStore();
  }
}
