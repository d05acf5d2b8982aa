package dev.memgate.remote;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

import java.time.Instant;

/** Turns an HTTP answer of a provider into its JSON body, or a classified {@link RemoteFailure}. */
public final class HttpOutcome {
  private static final int EXCERPT = 300;

  private HttpOutcome() {
  }

  public static Future<JsonObject> json(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status / 100 != 2) {
      String excerpt = excerpt(response.bodyAsString());
      String message = "answered HTTP " + status + (excerpt.isEmpty() ? "" : " " + excerpt);
      if (status == 429) {
        return Future.failedFuture(new RemoteFailure(RemoteFailure.Kind.THROTTLED, status,
          RetryAfter.millis(response.getHeader("Retry-After"), Instant.now()), message));
      }
      if (status >= 500) {
        return Future.failedFuture(new RemoteFailure(RemoteFailure.Kind.SERVER, status,
          RetryAfter.millis(response.getHeader("Retry-After"), Instant.now()), message));
      }
      return Future.failedFuture(new RemoteFailure(RemoteFailure.Kind.REJECTED, status, null, message + hint(status)));
    }
    try {
      JsonObject body = response.bodyAsJsonObject();
      if (body == null) {
        return Future.failedFuture(RemoteFailure.of(RemoteFailure.Kind.UNREADABLE, "answered an empty body"));
      }
      return Future.succeededFuture(body);
    } catch (RuntimeException notJson) {
      return Future.failedFuture(RemoteFailure.of(RemoteFailure.Kind.UNREADABLE, "answered something that is not "
        + "JSON: " + excerpt(response.bodyAsString())));
    }
  }

  /** 4xx answers are configuration mistakes: say which setting to look at. */
  private static String hint(int status) {
    return switch (status) {
      case 401, 403 -> " (check the API key)";
      case 404 -> " (check the base URL and the model name)";
      default -> "";
    };
  }

  /** A short, single-line piece of a body for error messages. */
  public static String excerpt(String text) {
    if (text == null) {
      return "";
    }
    String line = text.replaceAll("\\s+", " ").strip();
    return line.length() <= EXCERPT ? line : line.substring(0, EXCERPT) + "...";
  }
}
