package dev.memgate.access.keys;

import dev.memgate.access.Caller.MemoryAccess;
import dev.memgate.access.Permission;
import dev.memgate.access.apps.App;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Apps in the data directory's keys file: kept across restarts, changed field by field, and made for old keys. */
class FileKeyStoreAppsTest {
  @TempDir
  Path dataDir;
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private KeyStore open() {
    return FileKeyStore.open(vertx, dataDir).await();
  }

  private static StoredKey key(String id, String app, Instant created) {
    return new StoredKey(id, id, "hash", app, Set.of("alice"), null, EnumSet.of(Permission.READ), null, null,
      created, null);
  }

  @Test
  void appsSurviveARestartWithTheirChanges() {
    KeyStore store = open();
    Instant created = Instant.parse("2026-12-01T10:00:00Z");
    store.addApp(App.named("cursor", created)).await();
    store.addApp(App.named("cursor", created.plusSeconds(60))).await();
    store.changeApp("cursor", new JsonObject().put("paused", true)).await();
    App used = store.changeApp("cursor", new JsonObject().put("last_used_at", "2026-12-02T08:00:00Z")).await();
    assertThat(used.paused()).as("a last-use update keeps the pause").isTrue();
    assertThat(store.changeApp("nobody", new JsonObject().put("paused", true)).await()).isNull();

    App reopened = open().app("cursor").await();
    assertThat(reopened).isEqualTo(new App("cursor", true, MemoryAccess.ALL, created,
      Instant.parse("2026-12-02T08:00:00Z")));
  }

  @Test
  void keysStoredBeforeAppsWereRecordedGiveTheirAppsOnOpening() throws Exception {
    Instant first = Instant.parse("2026-11-01T10:00:00Z");
    JsonObject keys = new JsonObject()
      .put("k1", key("k1", "claude", first).toStored())
      .put("k2", key("k2", "claude", first.plusSeconds(3600)).toStored())
      .put("k3", key("k3", null, first).toStored());
    Files.createDirectories(dataDir.resolve("access"));
    Files.writeString(dataDir.resolve("access/keys.json"), new JsonObject().put("keys", keys).encode());

    KeyStore store = open();
    assertThat(store.apps().await()).containsExactly(App.named("claude", first));
    assertThat(store.all().await()).hasSize(3);
  }
}
