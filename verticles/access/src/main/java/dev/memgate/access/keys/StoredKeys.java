package dev.memgate.access.keys;

import dev.memgate.access.AccessDenied;
import dev.memgate.access.Authenticator;
import dev.memgate.access.Caller;
import dev.memgate.access.apps.App;
import dev.memgate.contract.AccessBus;
import dev.memgate.contract.BusClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The listeners' view of the stored keys: a presented {@code mgk_<id>_<secret>} is looked up by its id (over the bus,
 * from the access service) and its secret checked against the stored hash. What was looked up is remembered for at
 * most a second, and forgotten at once when the access service publishes a change to that key (on a cluster the
 * publication reaches every node): a revoked key stops working everywhere within a second even if a publication is
 * lost. Unknown, revoked and expired keys are refused alike (401); a key of a paused app is refused with 403, and the
 * access service publishes a pause so that every key of the app is forgotten at once. Each app's last use is sent
 * to the access service at most once a minute, without waiting for it.
 */
public final class StoredKeys implements Authenticator {
  static final long REMEMBER_NANOS = 1_000_000_000L;
  static final int MAX_REMEMBERED = 10_000;
  static final long LAST_USE_EVERY_NANOS = 60_000_000_000L;

  private final Vertx vertx;
  private final BusClient bus;
  private final LongSupplier nanoClock;
  private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();
  private final Map<String, Long> lastUseSent = new ConcurrentHashMap<>();
  private final MessageConsumer<JsonObject> changes;

  public StoredKeys(Vertx vertx) {
    this(vertx, System::nanoTime);
  }

  StoredKeys(Vertx vertx, LongSupplier nanoClock) {
    this.vertx = vertx;
    this.bus = new BusClient(vertx);
    this.nanoClock = nanoClock;
    this.changes = vertx.eventBus().consumer(AccessBus.KEY_CHANGED, message -> forget(message.body()));
  }

  @Override
  public Future<Caller> authenticate(String credential) {
    String id = KeySecrets.idOf(credential);
    if (id == null) {
      return Future.failedFuture(AccessDenied.unauthenticated("unknown key"));
    }
    Remembered known = remembered.get(id);
    long now = nanoClock.getAsLong();
    if (known != null && now - known.atNanos() < REMEMBER_NANOS) {
      return check(known, credential);
    }
    return bus.request(AccessBus.LOOKUP_KEY, new JsonObject().put("key_id", id), AccessBus.TIMEOUT_MS)
      .compose(reply -> {
        JsonObject stored = reply.getJsonObject("key");
        if (stored == null) {
          return Future.failedFuture(AccessDenied.unauthenticated("unknown key"));
        }
        JsonObject app = reply.getJsonObject("app");
        Remembered found = new Remembered(StoredKey.fromStored(stored), app == null ? null : App.fromJson(app), now);
        if (remembered.size() >= MAX_REMEMBERED) {
          remembered.clear();
        }
        remembered.put(id, found);
        return check(found, credential);
      });
  }

  private Future<Caller> check(Remembered known, String credential) {
    StoredKey key = known.key();
    if (!KeySecrets.matches(credential, key.secretHash())) {
      return Future.failedFuture(AccessDenied.unauthenticated("unknown key"));
    }
    if (key.revoked() || key.expired(Instant.now())) {
      return Future.failedFuture(AccessDenied.unauthenticated("key " + key.id() + " is " + key.status(Instant.now())));
    }
    App app = known.app();
    if (app != null && app.paused()) {
      return Future.failedFuture(AccessDenied.forbidden("app " + app.name() + " is paused: its keys are refused "
        + "until an operator resumes it"));
    }
    if (key.app() != null) {
      noteUse(key.app());
    }
    return Future.succeededFuture(app == null ? key.caller() : key.caller().withMemoryAccess(app.memoryAccess()));
  }

  /** Tells the access service the app was used, once a minute at most; nobody waits for it. */
  private void noteUse(String app) {
    long now = nanoClock.getAsLong();
    Long sent = lastUseSent.get(app);
    if (sent != null && now - sent < LAST_USE_EVERY_NANOS) {
      return;
    }
    if (lastUseSent.size() >= MAX_REMEMBERED) {
      lastUseSent.clear();
    }
    lastUseSent.put(app, now);
    vertx.eventBus().send(AccessBus.APP_USED, new JsonObject().put("app", app).put("at", Instant.now().toString()));
  }

  private void forget(JsonObject change) {
    String app = change.getString("app");
    if (app != null) {
      remembered.values().removeIf(known -> app.equals(known.key().app()));
    } else {
      remembered.remove(change.getString("key_id", ""));
    }
  }

  public Future<Void> close() {
    return changes.unregister();
  }

  /** A looked-up key and its app (null when it names none). */
  private record Remembered(StoredKey key, App app, long atNanos) {
  }
}
