package dev.memgate.mcp.tools;

import dev.memgate.access.Caller;
import dev.memgate.contract.BusClient;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.Fields;
import dev.memgate.contract.MemoryBus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The session user's memories as MCP resources, for clients that let a person attach context by hand:
 * {@code memgate://memories} (all of them, newest first) and {@code memgate://memories/{memory_id}} (one). A read
 * of anything else, or of another user's memory, fails as not found.
 */
public final class MemoryResources {
  public static final String ALL = "memgate://memories";
  private static final String ONE_PREFIX = ALL + "/";
  private static final String JSON = "application/json";

  private final BusClient bus;
  private final OwnedMemories owned;

  public MemoryResources(BusClient bus) {
    this.bus = bus;
    this.owned = new OwnedMemories(bus);
  }

  public List<JsonObject> resources() {
    return List.of(new JsonObject()
      .put("uri", ALL)
      .put("name", "memories")
      .put("title", "Your memories")
      .put("description", "Every memory Memgate keeps for you, newest first, as JSON.")
      .put("mimeType", JSON));
  }

  public List<JsonObject> templates() {
    return List.of(new JsonObject()
      .put("uriTemplate", ONE_PREFIX + "{memory_id}")
      .put("name", "memory")
      .put("title", "One memory")
      .put("description", "One of your memories by id, as JSON.")
      .put("mimeType", JSON));
  }

  /** {contents:[{uri, mimeType, text}]}; fails with a not-found {@code BusFailure} for a URI that names nothing. */
  public Future<JsonObject> read(String uri, String userId, Caller caller) {
    Future<JsonObject> body;
    if (ALL.equals(uri)) {
      body = bus.request(MemoryBus.LIST, new JsonObject().put(Fields.USER_ID, userId)
        .put(MemoryBus.CALLER, caller.toJson()), MemoryBus.TIMEOUT_MS);
    } else if (uri.startsWith(ONE_PREFIX) && uri.length() > ONE_PREFIX.length()) {
      body = owned.fetch(uri.substring(ONE_PREFIX.length()), userId);
    } else {
      body = Future.failedFuture(BusFailure.notFound("no resource " + uri).toException());
    }
    return body.map(json -> new JsonObject().put("contents", new JsonArray().add(new JsonObject()
      .put("uri", uri)
      .put("mimeType", JSON)
      .put("text", json.encode()))));
  }
}
