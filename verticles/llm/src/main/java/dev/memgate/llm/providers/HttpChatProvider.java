package dev.memgate.llm.providers;

import dev.memgate.contract.UpstreamText;
import dev.memgate.llm.ChatProvider;
import dev.memgate.llm.TolerantJson;
import dev.memgate.remote.RemoteFailure;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.concurrent.TimeUnit;

/** What the HTTP providers share: one client created once, the base URL and model, and reading JSON replies. */
abstract class HttpChatProvider implements ChatProvider {
  protected final String baseUrl;
  protected final String model;
  private final WebClient client;

  HttpChatProvider(Vertx vertx, String baseUrl, String model) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.model = model;
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000).setIdleTimeout(120)
      .setIdleTimeoutUnit(TimeUnit.SECONDS).setUserAgent("memgate"));
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public String baseUrl() {
    return UpstreamText.redact(baseUrl);
  }

  protected HttpRequest<Buffer> post(String path, long timeoutMs) {
    return client.postAbs(baseUrl + path).timeout(timeoutMs).putHeader("Accept", "application/json");
  }

  /**
   * The JSON in a text reply, or an UNREADABLE failure; {@code truncated} adds why a reply may have been cut off.
   */
  protected static JsonObject readJson(String text, boolean truncated) {
    try {
      return TolerantJson.readObject(text);
    } catch (TolerantJson.Unreadable e) {
      throw RemoteFailure.of(RemoteFailure.Kind.UNREADABLE, e.getMessage()
        + (truncated ? " (the reply was cut off at the token limit: raise llm.max_tokens)" : ""));
    }
  }

  protected static RemoteFailure unexpected(String what) {
    return RemoteFailure.of(RemoteFailure.Kind.UNREADABLE, "answered without " + what);
  }

  protected static long tokens(JsonObject usage, String field) {
    if (usage == null) {
      return 0;
    }
    Number value = usage.getNumber(field);
    return value == null ? 0 : value.longValue();
  }

  @Override
  public void close() {
    client.close();
  }
}
