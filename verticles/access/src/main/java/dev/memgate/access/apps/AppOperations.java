package dev.memgate.access.apps;

import dev.memgate.access.keys.KeyStore;
import dev.memgate.contract.AccessBus;
import dev.memgate.contract.BusFailure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * The access service's app registry: lists apps, pauses, resumes and limits them (each change durable and in the
 * audit log before it is answered, then published so that every listener drops the app's keys at once), and notes
 * when an app's keys were last used.
 */
public final class AppOperations {
  /** Writes an admin action's line in the audit log: (request, action, target, detail). */
  @FunctionalInterface
  public interface Audit {
    Future<Void> write(JsonObject request, String action, String target, String detail);
  }

  private final Vertx vertx;
  private final KeyStore store;
  private final Audit audit;

  public AppOperations(Vertx vertx, KeyStore store, Audit audit) {
    this.vertx = vertx;
    this.store = store;
    this.audit = audit;
  }

  public Future<JsonObject> list(JsonObject body) {
    return store.apps().map(apps -> new JsonObject()
      .put("results", new JsonArray(apps.stream().map(App::toJson).toList())));
  }

  public Future<JsonObject> update(JsonObject body) {
    String name = body.getString("app_name");
    if (name == null || name.isBlank()) {
      return Future.failedFuture(BusFailure.badInput("app_name", "app_name is required").toException());
    }
    JsonObject changes = AppChange.from(body);
    return store.changeApp(name, changes).compose(app -> {
      if (app == null) {
        return Future.failedFuture(BusFailure.notFound("no app named " + name + ": an app exists once a key "
          + "names it").toException());
      }
      return audit.write(body, action(changes), name, changes.encode()).map(v -> {
        vertx.eventBus().publish(AccessBus.KEY_CHANGED, new JsonObject().put("app", name));
        return app.toJson();
      });
    });
  }

  /** A key of the app was used: when, to the listener's minute. Unknown apps are ignored. */
  public Future<JsonObject> used(JsonObject body) {
    String name = body.getString("app");
    String at = body.getString("at");
    if (name == null || at == null) {
      return Future.succeededFuture(new JsonObject());
    }
    return store.changeApp(name, new JsonObject().put("last_used_at", Instant.parse(at).toString()))
      .map(v -> new JsonObject());
  }

  private static String action(JsonObject changes) {
    Boolean paused = changes.getBoolean("paused");
    return paused == null ? "app.update" : paused ? "app.pause" : "app.resume";
  }
}
