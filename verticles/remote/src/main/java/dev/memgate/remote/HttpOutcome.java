package dev.memgate.remote;

import dev.memgate.contract.UpstreamText;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

import java.time.Instant;

/**
 * Turns an HTTP answer of a provider into its JSON body, or a classified {@link RemoteFailure} whose message carries
 * the status and a summary of the body ({@link UpstreamText#ofBody}: the provider's error type, code and message,
 * one line, credentials removed), never the body as it came: some providers echo the caller's key in a 401.
 */
public final class HttpOutcome {

  private HttpOutcome() {
  }

  public static Future<JsonObject> json(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status / 100 != 2) {
      String summary = UpstreamText.ofBody(response.bodyAsString());
      String message = "answered HTTP " + status + (summary.isEmpty() ? "" : ": " + summary);
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
        + "JSON: " + UpstreamText.ofBody(response.bodyAsString())));
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
}
