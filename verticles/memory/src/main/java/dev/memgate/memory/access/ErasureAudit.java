package dev.memgate.memory.access;

import dev.memgate.access.Caller;
import dev.memgate.contract.AccessBus;
import dev.memgate.contract.BusClient;
import dev.memgate.contract.Fields;
import dev.memgate.contract.MemoryBus;
import dev.memgate.contract.Scope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * Every erasure (one memory, a scope, the whole service) goes into the audit log once it is done, saying who did it
 * (the caller's id, never a secret), what and from where. The log line is written before the erasure is answered;
 * should the audit log be unavailable, the erasure still stands (it has happened) and the miss is logged.
 */
public final class ErasureAudit {
  private static final Logger LOG = LoggerFactory.getLogger(ErasureAudit.class);

  private final BusClient bus;

  public ErasureAudit(BusClient bus) {
    this.bus = bus;
  }

  public Function<JsonObject, Future<JsonObject>> audited(String action,
                                                          Function<JsonObject, Future<JsonObject>> erasure) {
    return request -> {
      JsonObject caller = request.getJsonObject(MemoryBus.CALLER);
      JsonObject entry = new JsonObject()
        .put("action", action)
        .put("actor", caller == null ? "operator" : caller.getString("id"))
        .put("app", caller == null ? null : caller.getString("app"))
        .put("outcome", "ok")
        .put("address", request.getString(AccessBus.ADDRESS))
        .put("target", target(request));
      return erasure.apply(request).compose(reply -> bus.request(AccessBus.AUDIT, entry, AccessBus.TIMEOUT_MS)
        .map(logged -> reply)
        .recover(err -> {
          LOG.warn("{} of {} by {} is not in the audit log: {}", action, entry.getString("target"),
            entry.getString("actor"), err.getMessage());
          return Future.succeededFuture(reply);
        }));
    };
  }

  private static String target(JsonObject request) {
    Object id = request.getValue(Fields.MEMORY_ID);
    if (id != null) {
      return "memory " + id;
    }
    // The scope as the guard narrows it: a key bound to one user erases that user's memories even unnamed.
    JsonObject named = request.copy();
    Caller caller = CallerGuard.callerOf(request);
    if (named.getValue(Fields.USER_ID) == null && caller.soleUser() != null) {
      named.put(Fields.USER_ID, caller.soleUser());
    }
    if (named.getValue(Fields.AGENT_ID) == null && caller.agents() != null && caller.agents().size() == 1) {
      named.put(Fields.AGENT_ID, caller.agents().iterator().next());
    }
    Scope scope = Scope.from(named);
    return scope.isEmpty() ? "every memory" : scope.toJson().encode();
  }
}
