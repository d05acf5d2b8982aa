package dev.memgate.memory.access;

import dev.memgate.access.Caller;
import dev.memgate.access.Permission;
import dev.memgate.contract.AccessBus;
import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.Fields;
import dev.memgate.contract.MemoryBus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.function.Function;

/**
 * Keeps every caller to what its credential allows, in the one service both edges call, so REST and MCP obey the
 * same rules. A request for a scope (add, search, list, delete all, graph) acts for the caller's user whatever the
 * request says: a key bound to one user fills in that user, and naming another is refused (403, saying so). A
 * request for one memory by id (get, update, delete, history) first reads the memory; another user's memory is
 * answered exactly like a missing one, so ids cannot be probed across users. Each operation also needs its
 * permission (read, write, delete; reset needs admin).
 *
 * <p>Apps: every add records the caller's app in {@code metadata.app_id} ({@link AppScope}). A caller whose app
 * reads only its own memories ({@code memory_access: own}) has its searches and lists narrowed to them, gets 404 for
 * another app's memory by id, and cannot use what spans every app (the graph, deleting a whole scope).
 *
 * <p>A request without a caller is the operator's own (a tool on the bus, a test): it is not restricted. The edges
 * always set one, overwriting what a client sent.
 */
public final class CallerGuard {
  /**
   * Set on an add of a caller whose app reaches only its own memories (its app), for the service; never taken
   * from a client.
   */
  public static final String ONLY_APP = "_only_app";

  private CallerGuard() {
  }

  public static Caller callerOf(JsonObject request) {
    JsonObject caller = request.getJsonObject(MemoryBus.CALLER);
    return caller == null ? Caller.OPEN : Caller.fromJson(caller);
  }

  /**
   * An operation on a scope: the request's scope is narrowed to (or checked against) the caller's, and a read of a
   * caller whose app reads only its own memories to those memories (the graph's relations, which join every app's
   * memories, are left out of its searches).
   */
  public static Function<JsonObject, Future<JsonObject>> scoped(Permission needed,
                                                                Function<JsonObject, Future<JsonObject>> operation) {
    return request -> {
      Caller caller = callerOf(request);
      JsonObject scoped = inScope(caller, needed, request);
      if (!caller.ownAppOnly()) {
        return operation.apply(scoped);
      }
      return operation.apply(AppScope.ownOnly(scoped, caller.app())).map(AppScope::withoutRelations);
    };
  }

  /** An add: scoped, and the memories record the caller's app (whatever the request's metadata says). */
  public static Function<JsonObject, Future<JsonObject>> adding(Function<JsonObject, Future<JsonObject>> operation) {
    return request -> {
      Caller caller = callerOf(request);
      JsonObject add = AppScope.recorded(inScope(caller, Permission.WRITE, request), caller.app());
      return operation.apply(caller.ownAppOnly() ? add.put(ONLY_APP, caller.app()) : add);
    };
  }

  /**
   * An operation on a scope that spans every app's memories (the graph, deleting a scope): scoped, and refused
   * (403) to a caller whose app reads only its own memories.
   */
  public static Function<JsonObject, Future<JsonObject>> acrossApps(Permission needed,
                                                                    Function<JsonObject, Future<JsonObject>> op) {
    return request -> {
      Caller caller = callerOf(request);
      JsonObject scoped = inScope(caller, needed, request);
      if (caller.ownAppOnly()) {
        throw new BusFailure(BusError.FORBIDDEN, "app " + caller.app() + " reaches only the memories it wrote "
          + "(memory_access: own), and this spans every app's memories", null, null).toException();
      }
      return op.apply(scoped);
    };
  }

  private static JsonObject inScope(Caller caller, Permission needed, JsonObject request) {
    require(caller, needed);
    JsonObject scoped = withoutEdgeFields(request);
    narrow(scoped, Fields.USER_ID, "user", caller.users());
    narrow(scoped, Fields.AGENT_ID, "agent", caller.agents());
    return scoped;
  }

  /**
   * An operation on one memory: {@code read} fetches it (with the caller removed, so the fetch is not restricted)
   * and the operation runs only when the memory is the caller's.
   */
  public static Function<JsonObject, Future<JsonObject>> byId(Permission needed,
                                                              Function<JsonObject, Future<JsonObject>> read,
                                                              Function<JsonObject, Future<JsonObject>> operation) {
    return request -> {
      Caller caller = callerOf(request);
      require(caller, needed);
      JsonObject plain = withoutEdgeFields(request);
      if (caller.users() == null && caller.agents() == null && !caller.ownAppOnly()) {
        return operation.apply(plain);
      }
      return read.apply(new JsonObject().put(Fields.MEMORY_ID, plain.getValue(Fields.MEMORY_ID)))
        .compose(memory -> visible(caller, memory) ? operation.apply(plain)
          : Future.failedFuture(BusFailure.notFound("no memory with id " + plain.getValue(Fields.MEMORY_ID))
            .toException()));
    };
  }

  /**
   * Reading one memory: fetched once and shown only when it is the caller's (another's is answered as missing), rather
   * than fetched to check and again to answer as {@link #byId} would.
   */
  public static Function<JsonObject, Future<JsonObject>> readById(Function<JsonObject, Future<JsonObject>> read) {
    return request -> {
      Caller caller = callerOf(request);
      require(caller, Permission.READ);
      JsonObject plain = withoutEdgeFields(request);
      return read.apply(plain).compose(memory -> visible(caller, memory) ? Future.succeededFuture(memory)
        : Future.failedFuture(BusFailure.notFound("no memory with id " + plain.getValue(Fields.MEMORY_ID))
          .toException()));
    };
  }

  /** An operation for the whole service (reset): admin only. */
  public static Function<JsonObject, Future<JsonObject>> serviceWide(Permission needed,
                                                                     Function<JsonObject, Future<JsonObject>> op) {
    return request -> {
      require(callerOf(request), needed);
      JsonObject plain = withoutEdgeFields(request);
      return op.apply(plain);
    };
  }

  /** The request as the service reads it: who asked and from where were for this guard and the audit log. */
  private static JsonObject withoutEdgeFields(JsonObject request) {
    JsonObject plain = request.copy();
    plain.remove(MemoryBus.CALLER);
    plain.remove(AccessBus.ADDRESS);
    plain.remove(ONLY_APP);
    return plain;
  }

  static boolean visible(Caller caller, JsonObject memory) {
    return caller.allowsUser(memory.getString(Fields.USER_ID)) && caller.allowsAgent(memory.getString(Fields.AGENT_ID))
      && (!caller.ownAppOnly() || caller.app().equals(AppScope.appOf(memory)));
  }

  private static void require(Caller caller, Permission needed) {
    if (!caller.may(needed)) {
      throw new BusFailure(BusError.FORBIDDEN, "this key may not " + verb(needed) + " (it lacks the "
        + needed.wireName() + " permission)", null, null).toException();
    }
  }

  private static String verb(Permission permission) {
    return switch (permission) {
      case READ -> "read memories";
      case WRITE -> "add or change memories";
      case DELETE -> "delete memories";
      case ADMIN -> "do this";
    };
  }

  /** Fills in the caller's only id, or checks the one named; a caller of several ids must name one. */
  private static void narrow(JsonObject request, String field, String what, Set<String> allowed) {
    if (allowed == null) {
      return;
    }
    Object named = request.getValue(field);
    String id = named instanceof String text && !text.isBlank() ? text.strip() : null;
    if (named != null && !(named instanceof String)) {
      return; // the service's own rules refuse a non-string id, naming the field
    }
    if (id == null) {
      if (allowed.size() == 1) {
        request.put(field, allowed.iterator().next());
        return;
      }
      throw new BusFailure(BusError.FORBIDDEN, "this key acts for several " + what + "s: name one of them with "
        + field, field, null).toException();
    }
    if (!allowed.contains(id)) {
      throw new BusFailure(BusError.FORBIDDEN, "this key may not act for " + what + " " + id + ": it acts for "
        + describe(allowed, what), field, null).toException();
    }
  }

  private static String describe(Set<String> allowed, String what) {
    return allowed.size() == 1 ? what + " " + allowed.iterator().next() : allowed.size() + " other " + what + "s";
  }
}
