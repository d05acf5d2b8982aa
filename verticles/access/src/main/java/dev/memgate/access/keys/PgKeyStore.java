package dev.memgate.access.keys;

import dev.memgate.access.apps.App;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * Keys, apps and the audit log in PostgreSQL, beside the memories, so that every node of a cluster sees the same keys:
 * {@code memgate_access_keys} (one row per key, its stored form as JSON), {@code memgate_apps} (one row per app) and {@code memgate_audit} (append-only,
 * numbered by a sequence). The tables are created at start-up if missing; a small pool of its own, created once.
 */
public final class PgKeyStore implements KeyStore {
  private static final String CREATE_KEYS = "CREATE TABLE IF NOT EXISTS memgate_access_keys ("
    + "id text PRIMARY KEY, key jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())";
  private static final String CREATE_AUDIT = "CREATE TABLE IF NOT EXISTS memgate_audit ("
    + "seq bigserial PRIMARY KEY, entry jsonb NOT NULL)";
  private static final String CREATE_APPS = "CREATE TABLE IF NOT EXISTS memgate_apps ("
    + "name text PRIMARY KEY, app jsonb NOT NULL)";
  /** Keys made before apps were recorded: their apps exist from the oldest key that names them. */
  private static final String APPS_OF_KEYS = "INSERT INTO memgate_apps (name, app) "
    + "SELECT key->>'app', jsonb_build_object('name', key->>'app', 'paused', false, 'memory_access', 'all', "
    + "'created_at', min(key->>'created_at'), 'last_used_at', null) FROM memgate_access_keys "
    + "WHERE key->>'app' IS NOT NULL GROUP BY key->>'app' ON CONFLICT (name) DO NOTHING";
  private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('memgate_access_schema'))";

  private final Pool pool;

  private PgKeyStore(Pool pool) {
    this.pool = pool;
  }

  public static Future<KeyStore> open(Vertx vertx, PgConnectOptions connect) {
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(connect).using(vertx).build();
    // Several nodes may start together: the advisory lock makes them create the tables one after the other.
    return pool.withTransaction(conn -> conn.query(LOCK).execute()
        .compose(locked -> conn.query(CREATE_KEYS).execute())
        .compose(created -> conn.query(CREATE_AUDIT).execute())
        .compose(created -> conn.query(CREATE_APPS).execute())
        .compose(created -> conn.query(APPS_OF_KEYS).execute()))
      .map(done -> (KeyStore) new PgKeyStore(pool))
      .onFailure(err -> pool.close());
  }

  @Override
  public Future<Void> put(StoredKey key) {
    return pool.preparedQuery("INSERT INTO memgate_access_keys (id, key) VALUES ($1, $2) "
        + "ON CONFLICT (id) DO UPDATE SET key = excluded.key")
      .execute(Tuple.of(key.id(), key.toStored()))
      .mapEmpty();
  }

  @Override
  public Future<StoredKey> get(String id) {
    return pool.preparedQuery("SELECT key FROM memgate_access_keys WHERE id = $1").execute(Tuple.of(id))
      .map(rows -> rows.size() == 0 ? null : StoredKey.fromStored(json(rows.iterator().next())));
  }

  @Override
  public Future<List<StoredKey>> all() {
    return pool.query("SELECT key FROM memgate_access_keys ORDER BY created_at, id").execute().map(rows -> {
      List<StoredKey> keys = new ArrayList<>();
      rows.forEach(row -> keys.add(StoredKey.fromStored(json(row))));
      return keys;
    });
  }

  @Override
  public Future<Void> addApp(App app) {
    return pool.preparedQuery("INSERT INTO memgate_apps (name, app) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
      .execute(Tuple.of(app.name(), app.toJson())).mapEmpty();
  }

  @Override
  public Future<App> app(String name) {
    return pool.preparedQuery("SELECT app FROM memgate_apps WHERE name = $1").execute(Tuple.of(name))
      .map(rows -> rows.size() == 0 ? null : App.fromJson(json(rows.iterator().next(), "app")));
  }

  @Override
  public Future<List<App>> apps() {
    return pool.query("SELECT app FROM memgate_apps ORDER BY name").execute().map(rows -> {
      List<App> apps = new ArrayList<>();
      rows.forEach(row -> apps.add(App.fromJson(json(row, "app"))));
      return apps;
    });
  }

  @Override
  public Future<App> changeApp(String name, JsonObject changes) {
    return pool.preparedQuery("UPDATE memgate_apps SET app = app || $2 WHERE name = $1 RETURNING app")
      .execute(Tuple.of(name, changes))
      .map(rows -> rows.size() == 0 ? null : App.fromJson(json(rows.iterator().next(), "app")));
  }

  @Override
  public Future<Void> append(JsonObject entry) {
    return pool.preparedQuery("INSERT INTO memgate_audit (entry) VALUES ($1)").execute(Tuple.of(entry)).mapEmpty();
  }

  @Override
  public Future<List<JsonObject>> audit(int limit, Long before) {
    return pool.preparedQuery("SELECT seq, entry FROM memgate_audit WHERE ($1::bigint IS NULL OR seq < $1) "
        + "ORDER BY seq DESC LIMIT $2")
      .execute(Tuple.of(before, limit)).map(rows -> {
        List<JsonObject> entries = new ArrayList<>();
        rows.forEach(row -> entries.add(((JsonObject) row.getValue("entry")).copy().put("seq", row.getLong("seq"))));
        return entries;
      });
  }

  @Override
  public Future<Void> close() {
    return pool.close();
  }

  private static JsonObject json(Row row) {
    return json(row, "key");
  }

  private static JsonObject json(Row row, String column) {
    Object value = row.getValue(column);
    return value instanceof JsonObject object ? object : new JsonObject(String.valueOf(value));
  }
}
