package dev.memgate.vector.contract;

import dev.memgate.contract.Scope;
import dev.memgate.vector.MemoryRecord;
import dev.memgate.vector.MemoryStore;
import dev.memgate.vector.filter.FilterParser;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MemoryStore#count}, behind the apps' memory counts: how many memories of a scope (or of every scope) match a
 * filter, as every store must count them. Each store runs this unchanged through a subclass.
 */
public abstract class CountContract {
  protected static final MemoryStore.EmbeddingSpec SPEC = new MemoryStore.EmbeddingSpec("test-model", 4);
  private static final String T0 = "2026-11-23T10:00:00.000Z";

  protected Vertx vertx;
  protected MemoryStore store;

  protected abstract MemoryStore open(Vertx vertx);

  protected void closeStore() {
  }

  @BeforeEach
  void openStore() {
    vertx = Vertx.vertx();
    store = open(vertx);
  }

  @AfterEach
  void close() {
    store.close().await();
    closeStore();
    vertx.close().await();
  }

  private static MemoryRecord memory(Scope scope, String text, JsonObject metadata) {
    return new MemoryRecord(UUID.randomUUID().toString(), text, "hash-" + text, scope, null, "user", metadata, T0, T0,
      new float[] {1, 0, 0, 0});
  }

  private long count(Scope scope, JsonObject filters) {
    return store.count(scope, FilterParser.parse(filters)).await();
  }

  @Test
  void countsTheMemoriesThatMatchAFilterInAScopeOrInEveryScope() {
    Scope alice = new Scope("alice", null, null);
    Scope bob = new Scope("bob", null, null);
    List<MemoryRecord> records = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      records.add(memory(i < 4 ? alice : bob, "cursor note " + i, new JsonObject().put("app_id", "cursor")));
    }
    records.add(memory(alice, "claude note", new JsonObject().put("app_id", "claude")));
    records.add(memory(bob, "expired cursor note", new JsonObject().put("app_id", "cursor")
      .put("expiration_date", "2020-01-01")));
    records.add(memory(bob, "note without an app", new JsonObject()));
    store.insert(records).await();
    MemoryRecord deleted = memory(alice, "deleted cursor note", new JsonObject().put("app_id", "cursor"));
    store.insert(List.of(deleted)).await();
    store.delete(deleted.id(), T0).await();

    Scope every = new Scope(null, null, null);
    assertThat(count(every, new JsonObject().put("app_id", "cursor"))).isEqualTo(8);
    assertThat(count(every, new JsonObject().put("app_id", "claude"))).isEqualTo(1);
    assertThat(count(every, new JsonObject().put("app_id", "nobody"))).isZero();
    assertThat(count(alice, new JsonObject().put("app_id", "cursor"))).isEqualTo(4);
    assertThat(count(every, null)).isEqualTo(10);
    assertThat(count(bob, new JsonObject().put("app_id", new JsonObject().put("exists", false)))).isEqualTo(1);
  }
}
