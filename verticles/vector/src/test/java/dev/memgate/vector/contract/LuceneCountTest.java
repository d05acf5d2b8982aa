package dev.memgate.vector.contract;

import dev.memgate.vector.MemoryStore;
import dev.memgate.vector.lucene.LuceneMemoryStore;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class LuceneCountTest extends CountContract {
  @TempDir
  Path dir;

  @Override
  protected MemoryStore open(Vertx vertx) {
    LuceneMemoryStore store = new LuceneMemoryStore(vertx, dir.resolve("lucene"), 2);
    store.open(SPEC).await();
    return store;
  }
}
