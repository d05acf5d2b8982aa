package dev.memgate.contract;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/** Sends a JSON request to a bus service and turns every kind of failure into a {@link BusFailureException}. */
public final class BusClient {
  private final Vertx vertx;

  public BusClient(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<JsonObject> request(String address, JsonObject body, long timeoutMs) {
    return vertx.eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs))
      .map(Message::body)
      .recover(err -> Future.failedFuture(BusFailure.from(err).toException()));
  }
}
