package dev.memgate.memory.access;

import dev.memgate.contract.BusFailure;
import dev.memgate.contract.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Memories and the apps that wrote them: an add records its caller's app in {@code metadata.app_id}, and the reads of
 * an app limited to its own memories carry one more filter, {@code app_id == app}, ANDed with the request's own.
 */
final class AppScope {
  private static final String AND = "AND";
  private static final String RELATIONS = "relations";

  private AppScope() {
  }

  /**
   * The add request with {@code metadata.app_id} set to the caller's app, overwriting what the client sent; a
   * caller without an app records none. Metadata that is not an object is left for the service to refuse.
   */
  static JsonObject recorded(JsonObject request, String app) {
    Object given = request.getValue(Fields.METADATA);
    if (given != null && !(given instanceof JsonObject)) {
      return request;
    }
    JsonObject metadata = given == null ? new JsonObject() : ((JsonObject) given).copy();
    metadata.remove(Fields.APP_ID);
    if (app != null) {
      metadata.put(Fields.APP_ID, app);
    }
    if (given != null || !metadata.isEmpty()) {
      request.put(Fields.METADATA, metadata);
    }
    return request;
  }

  /**
   * A search or list of this app's memories only. Filter keys of one object must all match, so the condition joins
   * the request's {@code AND} list (or starts one); the ids the service may take its scope from stay where they
   * were.
   */
  static JsonObject ownOnly(JsonObject request, String app) {
    Object raw = request.getValue(Fields.FILTERS);
    if (raw != null && !(raw instanceof JsonObject)) {
      return request;
    }
    JsonObject filters = raw == null ? new JsonObject() : ((JsonObject) raw).copy();
    JsonObject sameApp = new JsonObject().put(Fields.APP_ID, app);
    Object and = filters.getValue(AND);
    if (and == null) {
      filters.put(AND, new JsonArray().add(sameApp));
    } else if (and instanceof JsonArray list && !list.isEmpty()) {
      filters.put(AND, list.copy().add(sameApp));
    } else {
      throw BusFailure.badInput(Fields.FILTERS + "." + AND, "filters.AND must be a non-empty list of filter objects")
        .toException();
    }
    return request.put(Fields.FILTERS, filters);
  }

  /** A search reply without the graph's relations, which are drawn from every app's memories. */
  static JsonObject withoutRelations(JsonObject reply) {
    if (reply.containsKey(RELATIONS)) {
      reply.put(RELATIONS, new JsonArray());
    }
    return reply;
  }

  /** The app a memory item records, or null. */
  static String appOf(JsonObject memory) {
    JsonObject metadata = memory.getJsonObject(Fields.METADATA);
    return metadata == null ? null : metadata.getString(Fields.APP_ID);
  }
}
