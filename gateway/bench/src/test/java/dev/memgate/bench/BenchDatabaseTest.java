package dev.memgate.bench;

import dev.memgate.gateway.testing.PgvectorStore;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The database a pgvector run writes to, on the real local PostgreSQL: what it takes, and what it leaves. */
class BenchDatabaseTest {

  @Test
  void aNamedDatabaseWithoutMemoriesIsTakenAndItsMemgateTablesAreEmptiedAfterwardsUnlessKept() {
    try (PgvectorStore store = new PgvectorStore()) {
      store.sql("CREATE TABLE memgate_memories (id text PRIMARY KEY)");
      store.sql("CREATE TABLE memgate_history (id text PRIMARY KEY)");
      store.sql("CREATE TABLE their_own (id text PRIMARY KEY)");
      store.sql("INSERT INTO their_own VALUES ('theirs')");

      BenchDatabase database = BenchDatabase.existing(store.url());
      store.sql("INSERT INTO memgate_memories VALUES ('written by the run')");
      store.sql("INSERT INTO memgate_history VALUES ('its history')");
      database.finish(true);
      assertThat(store.sql("SELECT id FROM memgate_memories")).hasSize(1);
      database.finish(false);

      assertThat(store.sql("SELECT id FROM memgate_memories")).isEmpty();
      assertThat(store.sql("SELECT id FROM memgate_history")).isEmpty();
      assertThat(store.sql("SELECT id FROM their_own")).containsExactly(new JsonObject().put("id", "theirs"));
      assertThat(PgvectorStore.databaseExists(store.database())).isTrue();
    }
  }

  @Test
  void aFreshDatabaseIsMadeForTheRunAndDroppedAfterwards() {
    BenchDatabase database = BenchDatabase.createFresh();
    String name = database.where().substring(database.where().indexOf('/') + 1);
    try {
      assertThat(PgvectorStore.databaseExists(name)).isTrue();
      assertThat(database.describe(false)).contains(name, "made for this run", "dropped afterwards");
    } finally {
      database.finish(false);
    }

    assertThat(PgvectorStore.databaseExists(name)).isFalse();
  }

  @Test
  void messagesAboutANamedDatabaseNeverShowItsPassword() {
    String url = "postgresql://postgres:s3cret-pw@" + PgvectorStore.HOST + ":" + PgvectorStore.PORT
      + "/memgate_no_such_database";

    assertThatThrownBy(() -> BenchDatabase.existing(url))
      .hasMessageContaining("127.0.0.1:5432/memgate_no_such_database")
      .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-pw"));
  }
}
