package dev.memgate.embedding.remote;

import dev.memgate.contract.BusFailure;
import dev.memgate.contract.UpstreamText;
import dev.memgate.embedding.EmbeddingProvider;
import dev.memgate.remote.GuardOptions;
import dev.memgate.remote.HttpOutcome;
import dev.memgate.remote.ProviderGuard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Shared plumbing of the HTTP embedding providers: one client and one {@link ProviderGuard} (circuit breaker,
 * whole-call deadline, retries of transient failures) created once, and failures that name the provider and its URL
 * (never the API key nor a password in the URL; what the provider said arrives summarised, see
 * {@link dev.memgate.remote.HttpOutcome}) so that the edge can answer 503 with something useful.
 */
abstract class RemoteEmbeddingProvider implements EmbeddingProvider {
  /** Dimensions of well-known models, so that start-up needs no call to a server that may be down. */
  static final Map<String, Integer> KNOWN_DIMENSIONS = Map.ofEntries(
    Map.entry("nomic-embed-text", 768),
    Map.entry("mxbai-embed-large", 1024),
    Map.entry("all-minilm", 384),
    Map.entry("snowflake-arctic-embed", 1024),
    Map.entry("bge-m3", 1024),
    Map.entry("text-embedding-3-small", 1536),
    Map.entry("text-embedding-3-large", 3072),
    Map.entry("text-embedding-ada-002", 1536));

  protected final Vertx vertx;
  protected final String baseUrl;
  protected final String model;
  protected final GuardOptions guardOptions;
  private final Integer configuredDimension;
  private int dimension;
  protected WebClient client;
  private ProviderGuard guard;

  RemoteEmbeddingProvider(Vertx vertx, String baseUrl, String model, Integer configuredDimension,
                          GuardOptions guardOptions) {
    this.vertx = vertx;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.model = model;
    this.configuredDimension = configuredDimension;
    this.guardOptions = guardOptions;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int maxConcurrentCalls() {
    return 4;
  }

  @Override
  public Future<Void> start() {
    client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000).setIdleTimeout(60)
      .setIdleTimeoutUnit(TimeUnit.SECONDS));
    guard = new ProviderGuard(vertx, "embedding:" + name(), "embedding provider " + name() + " at " + shownUrl(),
      guardOptions);
    Integer known = configuredDimension != null ? configuredDimension : KNOWN_DIMENSIONS.get(baseModelName());
    if (known != null) {
      dimension = known;
      return Future.succeededFuture();
    }
    // An unknown model: ask the server once for a vector to learn its size.
    return embed(List.of("dimension probe"), Purpose.DOCUMENT)
      .map(vectors -> {
        dimension = vectors.get(0).length;
        return (Void) null;
      })
      .recover(err -> Future.failedFuture(new IllegalStateException("embedder.dimensions is not set and the "
        + name() + " model " + model + " could not be asked for its dimension: "
        + UpstreamText.summary(err.getMessage()))));
  }

  private String baseModelName() {
    int colon = model.indexOf(':');
    return colon < 0 ? model : model.substring(0, colon);
  }

  protected HttpRequest<Buffer> post(String path, long timeoutMs) {
    URI uri = URI.create(baseUrl + path);
    return client.postAbs(uri.toString()).timeout(timeoutMs);
  }

  /**
   * Sends a JSON body through the provider's guard (deadline, retries, circuit breaker); {@code authorize} adds
   * headers to each attempt. Failures arrive as a named 503.
   */
  protected Future<JsonObject> send(String path, JsonObject body, Consumer<HttpRequest<Buffer>> authorize) {
    return guard.call(left -> {
      HttpRequest<Buffer> request = post(path, left);
      authorize.accept(request);
      return request.sendJsonObject(body).compose(HttpOutcome::json);
    });
  }

  protected Exception unavailable(String reason) {
    return BusFailure.unavailable("embedding:" + name(),
      "embedding provider " + name() + " at " + shownUrl() + " " + reason).toException();
  }

  /** The base URL as it may be shown: a password in it is hidden. */
  private String shownUrl() {
    return UpstreamText.redact(baseUrl);
  }

  @Override
  public JsonObject describe() {
    return new JsonObject().put("base_url", shownUrl()).put("breaker", guard.health());
  }

  @Override
  public Future<Void> close() {
    if (client != null) {
      client.close();
    }
    if (guard != null) {
      guard.close();
    }
    return Future.succeededFuture();
  }
}
