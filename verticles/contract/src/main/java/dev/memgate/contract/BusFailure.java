package dev.memgate.contract;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * A typed failure as it travels over the event bus: the stable {@link BusError} as the reply code and a small JSON
 * text as the reply message (so it survives a clustered bus), naming the offending field or the dependency at fault.
 */
public record BusFailure(BusError error, String detail, String field, String dependency) {

  /**
   * A failure that blames a dependency or something unexpected often quotes what that dependency said (a
   * provider's error body, a driver's message): its detail has its credentials removed ({@link UpstreamText}),
   * here, so that no client and no log line that shows it can carry a key.
   */
  public BusFailure {
    if (error == BusError.UNAVAILABLE || error == BusError.TIMEOUT || error == BusError.INTERNAL) {
      detail = UpstreamText.redact(detail);
    }
  }

  public static BusFailure badInput(String field, String detail) {
    return new BusFailure(BusError.BAD_INPUT, detail, field, null);
  }

  public static BusFailure unprocessable(String field, String detail) {
    return new BusFailure(BusError.UNPROCESSABLE, detail, field, null);
  }

  public static BusFailure notFound(String detail) {
    return new BusFailure(BusError.NOT_FOUND, detail, null, null);
  }

  public static BusFailure conflict(String detail) {
    return new BusFailure(BusError.CONFLICT, detail, null, null);
  }

  public static BusFailure unavailable(String dependency, String detail) {
    return new BusFailure(BusError.UNAVAILABLE, detail, null, dependency);
  }

  public static BusFailure internal(String detail) {
    return new BusFailure(BusError.INTERNAL, detail, null, null);
  }

  /** An exception carrying this failure, for failing a {@code Future}. */
  public BusFailureException toException() {
    return new BusFailureException(this);
  }

  /** Fails a bus request with this failure. */
  public void failOn(Message<?> message) {
    message.fail(error.code(), encode());
  }

  public String encode() {
    JsonObject json = new JsonObject().put("detail", detail);
    if (field != null) {
      json.put("field", field);
    }
    if (dependency != null) {
      json.put("dependency", dependency);
    }
    return json.encode();
  }

  /**
   * Reads any failure met while calling a bus service: a typed reply, a timeout, a missing consumer, or an
   * exception thrown locally.
   */
  public static BusFailure from(Throwable failure) {
    if (failure instanceof BusFailureException typed) {
      return typed.failure();
    }
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case TIMEOUT -> new BusFailure(BusError.TIMEOUT, "no answer in time: " + reply.getMessage(), null, null);
        case NO_HANDLERS -> new BusFailure(BusError.UNAVAILABLE,
          "service not running: " + reply.getMessage(), null, ServiceNames.ofAddressMessage(reply.getMessage()));
        case RECIPIENT_FAILURE, ERROR -> decode(reply.failureCode(), reply.getMessage());
      };
    }
    return internal(String.valueOf(failure.getMessage()));
  }

  static BusFailure decode(int code, String message) {
    BusError error = BusError.ofCode(code);
    if (message != null && message.startsWith("{")) {
      try {
        JsonObject json = new JsonObject(message);
        return new BusFailure(error, json.getString("detail"), json.getString("field"), json.getString("dependency"));
      } catch (DecodeException notOurs) {
        // fall through: a plain text failure from a consumer that is not ours
      }
    }
    return new BusFailure(error, message, null, null);
  }
}
