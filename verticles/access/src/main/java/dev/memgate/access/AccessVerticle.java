package dev.memgate.access;

import dev.memgate.access.apps.App;
import dev.memgate.access.apps.AppOperations;
import dev.memgate.access.keys.FileKeyStore;
import dev.memgate.access.keys.KeyRequest;
import dev.memgate.access.keys.KeySecrets;
import dev.memgate.access.keys.KeyStore;
import dev.memgate.access.keys.PgKeyStore;
import dev.memgate.access.keys.StoredKey;
import dev.memgate.contract.AccessBus;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.BusServer;
import dev.memgate.contract.MemoryBus;
import dev.memgate.contract.RequiredConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Serves {@link AccessBus}: creates, lists, rotates and revokes API keys, answers the listeners' lookups, keeps the
 * apps the keys name ({@link AppOperations}) and the audit log. Every change is durable before it is answered and then published on {@link AccessBus#KEY_CHANGED},
 * so that every listener of every node stops honouring a revoked key at once.
 *
 * <p>Configuration, complete from the composition root: {@code store} ({@code file}: {@code data_dir}; or
 * {@code postgres}: {@code postgres}, PostgreSQL connect options).
 */
public final class AccessVerticle extends VerticleBase {
  static final int MAX_AUDIT_PAGE = 1_000;

  private KeyStore store;

  @Override
  public Future<?> start() {
    RequiredConfig config = RequiredConfig.of("access verticle", config());
    String kind = config.text("store");
    Future<KeyStore> opened = switch (kind) {
      case "file" -> FileKeyStore.open(vertx, Path.of(config.text("data_dir")));
      case "postgres" -> PgKeyStore.open(vertx, new PgConnectOptions(config.object("postgres")));
      default -> Future.failedFuture(new IllegalArgumentException("access verticle: store must be file or postgres"));
    };
    return opened.compose(opening -> {
      store = opening;
      AppOperations apps = new AppOperations(vertx, store, this::audit);
      return Future.all(List.of(
        BusServer.serve(vertx, AccessBus.CREATE_KEY, this::create).completion(),
        BusServer.serve(vertx, AccessBus.LIST_KEYS, body -> store.all().map(keys -> new JsonObject()
          .put("results", new JsonArray(keys.stream().map(k -> k.view(Instant.now())).toList())))).completion(),
        BusServer.serve(vertx, AccessBus.GET_KEY, body -> existing(body).map(k -> k.view(Instant.now())))
          .completion(),
        BusServer.serve(vertx, AccessBus.LOOKUP_KEY, this::lookup).completion(),
        BusServer.serve(vertx, AccessBus.ROTATE_KEY, this::rotate).completion(),
        BusServer.serve(vertx, AccessBus.REVOKE_KEY, this::revoke).completion(),
        BusServer.serve(vertx, AccessBus.LIST_APPS, apps::list).completion(),
        BusServer.serve(vertx, AccessBus.UPDATE_APP, apps::update).completion(),
        BusServer.serve(vertx, AccessBus.APP_USED, apps::used).completion(),
        BusServer.serve(vertx, AccessBus.AUDIT, body -> store.append(auditEntry(body)).map(v -> new JsonObject()))
          .completion(),
        BusServer.serve(vertx, AccessBus.AUDIT_LOG, this::auditLog).completion(),
        BusServer.serve(vertx, AccessBus.HEALTH, body -> Future.succeededFuture(new JsonObject().put("status", "UP")
          .put("store", kind))).completion()));
    });
  }

  @Override
  public Future<?> stop() {
    return store == null ? Future.succeededFuture() : store.close();
  }

  private Future<JsonObject> create(JsonObject body) {
    Instant now = Instant.now();
    KeyRequest request = KeyRequest.from(body, now);
    String id = KeySecrets.newId();
    String secret = KeySecrets.newSecret(id);
    StoredKey key = new StoredKey(id, request.name(), KeySecrets.hash(secret), request.app(), request.users(),
      request.agents(), request.permissions(), request.requestsPerMinute(), request.expiresAt(), now, null);
    return store.put(key)
      .compose(v -> key.app() == null ? Future.<Void>succeededFuture() : store.addApp(App.named(key.app(), now)))
      .compose(v -> audit(body, "key.create", id, "users=" + (key.users() == null ? "*" : key.users().size())
        + " permissions=" + key.view(now).getJsonArray("permissions").encode()))
      .map(v -> new JsonObject().put("key", key.view(now)).put("secret", secret));
  }

  /** A key for the listeners' check, with its app (paused or not, what it may read). */
  private Future<JsonObject> lookup(JsonObject body) {
    return store.get(body.getString("key_id", "")).compose(key -> {
      if (key == null) {
        return Future.succeededFuture(new JsonObject());
      }
      JsonObject found = new JsonObject().put("key", key.toStored());
      return key.app() == null ? Future.succeededFuture(found)
        : store.app(key.app()).map(app -> app == null ? found : found.put("app", app.toJson()));
    });
  }

  private Future<JsonObject> rotate(JsonObject body) {
    return existing(body).compose(key -> {
      if (key.revoked()) {
        return Future.failedFuture(BusFailure.conflict("key " + key.id() + " is revoked: create a new one")
          .toException());
      }
      String secret = KeySecrets.newSecret(key.id());
      StoredKey rotated = key.withSecretHash(KeySecrets.hash(secret));
      return store.put(rotated).compose(v -> audit(body, "key.rotate", key.id(), null)).map(v -> {
        changed(key.id());
        return new JsonObject().put("key", rotated.view(Instant.now())).put("secret", secret);
      });
    });
  }

  private Future<JsonObject> revoke(JsonObject body) {
    return existing(body).compose(key -> {
      if (key.revoked()) {
        return Future.succeededFuture(key.view(Instant.now()));
      }
      StoredKey revoked = key.revokedAt(Instant.now());
      return store.put(revoked).compose(v -> audit(body, "key.revoke", key.id(), null)).map(v -> {
        changed(key.id());
        return revoked.view(Instant.now());
      });
    });
  }

  /** The admin action's line in the audit log, written before the action is answered. */
  private Future<Void> audit(JsonObject request, String action, String target, String detail) {
    JsonObject caller = request.getJsonObject(MemoryBus.CALLER);
    return store.append(auditEntry(new JsonObject()
      .put("action", action)
      .put("actor", caller == null ? "operator" : caller.getString("id"))
      .put("outcome", "ok")
      .put("address", request.getString(AccessBus.ADDRESS))
      .put("target", target)
      .put("detail", detail)));
  }

  private void changed(String keyId) {
    vertx.eventBus().publish(AccessBus.KEY_CHANGED, new JsonObject().put("key_id", keyId));
  }

  private Future<StoredKey> existing(JsonObject body) {
    String id = body.getString("key_id");
    if (id == null || id.isBlank()) {
      return Future.failedFuture(BusFailure.badInput("key_id", "key_id is required").toException());
    }
    return store.get(id).compose(key -> key == null
      ? Future.failedFuture(BusFailure.notFound("no key with id " + id).toException())
      : Future.succeededFuture(key));
  }

  private Future<JsonObject> auditLog(JsonObject body) {
    int limit = body.getInteger("limit", 100);
    if (limit < 1 || limit > MAX_AUDIT_PAGE) {
      return Future.failedFuture(BusFailure.badInput("limit", "limit must be from 1 to " + MAX_AUDIT_PAGE)
        .toException());
    }
    Long before = body.getLong("before");
    return store.audit(limit, before).map(entries -> new JsonObject().put("results", new JsonArray(entries)));
  }

  /** Only the fields an entry may hold, with the time it was written: a caller cannot smuggle anything else in. */
  private static JsonObject auditEntry(JsonObject body) {
    JsonObject entry = new JsonObject().put("at", Instant.now().toString());
    for (String field : List.of("action", "actor", "app", "outcome", "address", "target", "detail")) {
      Object value = body.getValue(field);
      if (value instanceof String text) {
        entry.put(field, text.length() > 512 ? text.substring(0, 512) : text);
      }
    }
    return entry;
  }
}
