package dev.memgate.access.keys;

import dev.memgate.access.apps.App;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Where keys and the audit log live: the data directory for the embedded default ({@link FileKeyStore}), PostgreSQL
 * when memories are there ({@link PgKeyStore}), so that every node of a cluster sees the same keys. A write is
 * durable when its future completes.
 */
public interface KeyStore {

  /** Inserts or replaces a key. */
  Future<Void> put(StoredKey key);

  /** The key with this id, or null. */
  Future<StoredKey> get(String id);

  /** Every key, oldest first. */
  Future<List<StoredKey>> all();

  /** Records an app unless one of that name exists (keys of the same app may be created at once). */
  Future<Void> addApp(App app);

  /** The app of this name, or null. */
  Future<App> app(String name);

  /** Every app, by name. */
  Future<List<App>> apps();

  /**
   * Merges these fields into the app in one step (so that a pause and a last-use update cannot undo each other);
   * answers the app as it now is, or null when there is none of that name.
   */
  Future<App> changeApp(String name, JsonObject changes);

  /** Appends one audit entry (its {@code at} is set by the caller). */
  Future<Void> append(JsonObject entry);

  /**
   * Audit entries, newest first.
   *
   * @param before only entries with a smaller {@code seq}, or null for the newest
   */
  Future<List<JsonObject>> audit(int limit, Long before);

  Future<Void> close();
}
