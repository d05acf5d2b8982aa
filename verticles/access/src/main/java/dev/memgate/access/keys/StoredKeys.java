package dev.memgate.access.keys;

import dev.memgate.access.AccessDenied;
import dev.memgate.access.Authenticator;
import dev.memgate.access.Caller;
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
 * lost. Unknown, revoked and expired keys are refused alike (401).
 */
public final class StoredKeys implements Authenticator {
  static final long REMEMBER_NANOS = 1_000_000_000L;
  static final int MAX_REMEMBERED = 10_000;

  private final BusClient bus;
  private final LongSupplier nanoClock;
  private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();
  private final MessageConsumer<JsonObject> changes;

  public StoredKeys(Vertx vertx) {
    this(vertx, System::nanoTime);
  }

  StoredKeys(Vertx vertx, LongSupplier nanoClock) {
    this.bus = new BusClient(vertx);
    this.nanoClock = nanoClock;
    this.changes = vertx.eventBus().consumer(AccessBus.KEY_CHANGED,
      message -> remembered.remove(message.body().getString("key_id", "")));
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
      return check(known.key(), credential);
    }
    return bus.request(AccessBus.LOOKUP_KEY, new JsonObject().put("key_id", id), AccessBus.TIMEOUT_MS)
      .compose(reply -> {
        JsonObject stored = reply.getJsonObject("key");
        if (stored == null) {
          return Future.failedFuture(AccessDenied.unauthenticated("unknown key"));
        }
        StoredKey key = StoredKey.fromStored(stored);
        if (remembered.size() >= MAX_REMEMBERED) {
          remembered.clear();
        }
        remembered.put(id, new Remembered(key, now));
        return check(key, credential);
      });
  }

  private static Future<Caller> check(StoredKey key, String credential) {
    if (!KeySecrets.matches(credential, key.secretHash())) {
      return Future.failedFuture(AccessDenied.unauthenticated("unknown key"));
    }
    if (key.revoked() || key.expired(Instant.now())) {
      return Future.failedFuture(AccessDenied.unauthenticated("key " + key.id() + " is " + key.status(Instant.now())));
    }
    return Future.succeededFuture(key.caller());
  }

  public Future<Void> close() {
    return changes.unregister();
  }

  private record Remembered(StoredKey key, long atNanos) {
  }
}
