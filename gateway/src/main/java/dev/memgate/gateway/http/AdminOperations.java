package dev.memgate.gateway.http;

import dev.memgate.access.Caller;
import dev.memgate.access.Permission;
import dev.memgate.contract.AccessBus;
import dev.memgate.contract.BusClient;
import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.Fields;
import dev.memgate.contract.MemoryBus;
import dev.memgate.contract.VectorBus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;

import java.util.List;

/**
 * The admin API: keys, apps and the audit log, for callers with the admin permission only (the operator's key, or a key
 * granted admin). Each operation forwards to the access service, with who asked and from where, so that the audit
 * log can say so.
 */
final class AdminOperations {
  private final BusClient bus;
  private final boolean keysOn;

  /** @param keysOn whether stored keys are honoured (the operator's key is set); creating one is refused otherwise */
  AdminOperations(BusClient bus, boolean keysOn) {
    this.bus = bus;
    this.keysOn = keysOn;
  }

  void mount(RouterBuilder builder) {
    builder.getRoute("createKey").addHandler(admin(rc -> {
      if (!keysOn) {
        rc.fail(new BusFailure(BusError.CONFLICT, "keys need the operator's own key: set MEMGATE_API_KEY "
          + "(http.api_key); without it this Memgate asks for no credential at all", null, null).toException());
        return;
      }
      bus.request(AccessBus.CREATE_KEY, stamped(rc, body(rc)), AccessBus.TIMEOUT_MS)
        .onSuccess(created -> rc.response().setStatusCode(201).putHeader("Cache-Control", "no-store")
          .putHeader("Content-Type", "application/json").end(created.encode()))
        .onFailure(rc::fail);
    }));
    builder.getRoute("listKeys").addHandler(admin(rc -> forward(rc, AccessBus.LIST_KEYS, new JsonObject())));
    builder.getRoute("getKey").addHandler(admin(rc -> forward(rc, AccessBus.GET_KEY, keyId(rc))));
    builder.getRoute("revokeKey").addHandler(admin(rc -> forward(rc, AccessBus.REVOKE_KEY, keyId(rc))));
    builder.getRoute("rotateKey").addHandler(admin(rc -> {
      rc.response().putHeader("Cache-Control", "no-store");
      forward(rc, AccessBus.ROTATE_KEY, keyId(rc));
    }));
    builder.getRoute("listApps").addHandler(admin(rc -> bus.request(AccessBus.LIST_APPS, stamped(rc,
        new JsonObject()), AccessBus.TIMEOUT_MS)
      .compose(this::withMemoryCounts).onSuccess(rc::json).onFailure(rc::fail)));
    builder.getRoute("updateApp").addHandler(admin(rc -> forward(rc, AccessBus.UPDATE_APP, body(rc)
      .put("app_name", validated(rc).getPathParameters().get("app_name").getString()))));
    builder.getRoute("auditLog").addHandler(admin(rc -> {
      JsonObject query = new JsonObject();
      validated(rc).getQuery().forEach((name, value) -> {
        if (value != null && !value.isNull()) {
          query.put(name, value.get());
        }
      });
      forward(rc, AccessBus.AUDIT_LOG, query);
    }));
  }

  /** Each app with how many memories it added, counted by the vector store (all apps at once). */
  private Future<JsonObject> withMemoryCounts(JsonObject apps) {
    List<JsonObject> results = apps.getJsonArray("results", new JsonArray()).stream()
      .map(app -> (JsonObject) app).toList();
    List<Future<JsonObject>> counts = results.stream().map(app -> bus.request(VectorBus.COUNT, new JsonObject()
      .put(Fields.FILTERS, new JsonObject().put(Fields.APP_ID, app.getString("name"))), VectorBus.TIMEOUT_MS))
      .toList();
    return Future.all(counts).map(all -> {
      for (int i = 0; i < results.size(); i++) {
        results.get(i).put("memory_count", counts.get(i).result().getLong(VectorBus.COUNT_FIELD));
      }
      return new JsonObject().put("results", new JsonArray(results));
    });
  }

  private io.vertx.core.Handler<RoutingContext> admin(io.vertx.core.Handler<RoutingContext> operation) {
    return rc -> {
      Caller caller = rc.get(Caller.CONTEXT_KEY, Caller.OPEN);
      if (!caller.may(Permission.ADMIN)) {
        rc.fail(new BusFailure(BusError.FORBIDDEN, "this key may not use the admin API (it lacks the admin "
          + "permission)", null, null).toException());
        return;
      }
      operation.handle(rc);
    };
  }

  private void forward(RoutingContext rc, String address, JsonObject request) {
    bus.request(address, stamped(rc, request), AccessBus.TIMEOUT_MS).onSuccess(rc::json).onFailure(rc::fail);
  }

  /** Who asked and from where, for the audit log. */
  private static JsonObject stamped(RoutingContext rc, JsonObject request) {
    Caller caller = rc.get(Caller.CONTEXT_KEY, Caller.OPEN);
    return request.put(MemoryBus.CALLER, caller.toJson())
      .put(AccessBus.ADDRESS, rc.request().remoteAddress() == null ? null : rc.request().remoteAddress().hostAddress());
  }

  private static JsonObject keyId(RoutingContext rc) {
    return new JsonObject().put("key_id", validated(rc).getPathParameters().get("key_id").getString());
  }

  private static ValidatedRequest validated(RoutingContext rc) {
    return rc.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
  }

  private static JsonObject body(RoutingContext rc) {
    RequestParameter body = validated(rc).getBody();
    return body == null || body.isNull() ? new JsonObject() : body.getJsonObject().copy();
  }
}
