package dev.memgate.contract;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * Binds a bus address to a future-returning operation: the consumer is a thin adapter that replies with the JSON
 * result or fails with the typed code. Unexpected exceptions are logged once here, with the address.
 *
 * <p>The rule of a clustered event bus: every service bound here is node-local ({@code localConsumer}). A service
 * works with its own node's resources (the embedding model, the store pool, the LLM client), so a request is served
 * by the node that took it, with no extra network hop, and a node that dies takes none of the others' requests
 * with it. What is cluster-wide is coordination, done with {@code publish} and plain consumers (a revoked key,
 * {@code AccessBus.KEY_CHANGED}, reaches every node).
 */
public final class BusServer {
  private static final Logger LOG = LoggerFactory.getLogger(BusServer.class);

  private BusServer() {
  }

  public static MessageConsumer<JsonObject> serve(Vertx vertx, String address,
                                                  Function<JsonObject, Future<JsonObject>> operation) {
    return vertx.eventBus().<JsonObject>localConsumer(address, message -> {
      Future<JsonObject> result;
      try {
        JsonObject body = message.body() == null ? new JsonObject() : message.body();
        result = operation.apply(body);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(done -> {
        if (done.succeeded()) {
          message.reply(done.result());
        } else {
          Throwable cause = done.cause();
          BusFailure failure = BusFailure.from(cause);
          if (failure.error() == BusError.INTERNAL && !(cause instanceof BusFailureException)) {
            LOG.error("{} failed", address, cause);
            failure = BusFailure.internal("unexpected failure in " + address + ": " + cause.getClass().getSimpleName());
          }
          failure.failOn(message);
        }
      });
    });
  }
}
