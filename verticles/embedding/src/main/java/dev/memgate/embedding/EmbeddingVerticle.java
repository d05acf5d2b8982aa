package dev.memgate.embedding;

import dev.memgate.contract.BusFailure;
import dev.memgate.contract.UpstreamText;
import dev.memgate.contract.BusServer;
import dev.memgate.contract.EmbeddingBus;
import dev.memgate.contract.RequiredConfig;
import dev.memgate.contract.Vectors;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Serves {@link EmbeddingBus}: unit-length vectors for texts, through a cache and an adaptive batcher in front of
 * the configured provider.
 *
 * <p>Configuration, complete from the composition root (a missing key stops start-up naming it): {@code provider}
 * (onnx, ollama, openai), {@code model}, {@code batch_size}, {@code cache_size}; {@code threads} for onnx;
 * {@code base_url}, {@code deadline_ms}, {@code max_retries}, {@code breaker_max_failures} and
 * {@code breaker_reset_ms} for a remote provider, which may also have {@code api_key} and {@code dimensions} (for a
 * model Memgate does not know).
 *
 * <p>The in-process model takes about a second to load, longer than everything else Memgate starts, so it loads
 * beside the rest: the verticle serves as soon as it is deployed, a request that arrives meanwhile waits for the
 * model, {@code HEALTH} says STARTING until then, and {@code READY} answers once it is loaded.
 */
public final class EmbeddingVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingVerticle.class);
  /** A single request may carry many texts; the batcher splits them. */
  private static final int MAX_TEXTS_PER_REQUEST = 4096;

  private EmbeddingProvider provider;
  private EmbeddingBatcher batcher;
  private EmbeddingCache cache;
  private long cacheHits;
  private SimilarityBaseline.Baselines baselines;
  /** Completes once the provider has loaded and its baselines are measured: requests wait for it. */
  private Future<Void> ready;

  @Override
  public Future<?> start() {
    RequiredConfig config = RequiredConfig.of("embedding verticle", config());
    // A remote provider may echo its key in a refusal: hidden from failures and logs before the first call.
    config.optionalText("api_key").ifPresent(UpstreamText::hide);
    int batchSize = config.integer("batch_size");
    int cacheSize = config.integer("cache_size");
    provider = EmbeddingProviders.create(vertx, config);
    batcher = new EmbeddingBatcher(provider, batchSize);
    cache = new EmbeddingCache(cacheSize);
    long started = System.nanoTime();
    Future<Void> loaded = provider.start()
      .onSuccess(v -> LOG.info("embedding provider {} model {} ({} dimensions) ready in {} ms", provider.name(),
        provider.model(), provider.dimension(), (System.nanoTime() - started) / 1_000_000));
    ready = loaded.compose(v -> measureBaseline())
      .onFailure(err -> LOG.debug("the embedding provider did not start", err));
    Future<Void> serving = Future.all(
      BusServer.serve(vertx, EmbeddingBus.EMBED, this::embed).completion(),
      BusServer.serve(vertx, EmbeddingBus.HEALTH, body -> Future.succeededFuture(health())).completion(),
      BusServer.serve(vertx, EmbeddingBus.READY, body -> whenReady(() -> Future.succeededFuture(health())))
        .completion()).mapEmpty();
    // A provider that knows its model's size before loading it (the in-process model) serves at once and loads
    // beside the rest of the start; requests wait for it. One that must ask a server for the size starts first.
    return provider.dimension() > 0 ? serving : loaded.compose(v -> serving);
  }

  /**
   * The in-process model is measured once it is loaded (before it answers its first request); a remote one is not
   * (it may be down now), so its baseline is unknown and reported as 0.
   */
  private Future<Void> measureBaseline() {
    if (!"onnx".equals(provider.name())) {
      return Future.succeededFuture();
    }
    return SimilarityBaseline.measure(provider).map(measured -> {
      baselines = measured;
      LOG.info("model {}: unrelated words have cosine {} on average, a question and an unrelated memory {}",
        provider.model(), String.format(java.util.Locale.ROOT, "%.3f", measured.words()),
        String.format(java.util.Locale.ROOT, "%.3f", measured.search()));
      return (Void) null;
    });
  }

  /** Waits for the provider while it is still loading. */
  private Future<JsonObject> embed(JsonObject request) {
    return ready.succeeded() ? embedNow(request) : whenReady(() -> embedNow(request));
  }

  /** Runs the operation once the provider is ready; fails naming the model when it could not load. */
  private Future<JsonObject> whenReady(Supplier<Future<JsonObject>> operation) {
    return ready.transform(done -> done.succeeded() ? operation.get()
      : Future.failedFuture(BusFailure.unavailable("embedding:" + provider.name(), "the embedding model "
        + provider.model() + " could not be loaded: " + done.cause().getMessage()).toException()));
  }

  private Future<JsonObject> embedNow(JsonObject request) {
    JsonArray texts = request.getJsonArray(EmbeddingBus.TEXTS);
    if (texts == null || texts.isEmpty()) {
      return Future.failedFuture(BusFailure.badInput(EmbeddingBus.TEXTS, "no texts to embed").toException());
    }
    if (texts.size() > MAX_TEXTS_PER_REQUEST) {
      return Future.failedFuture(BusFailure.badInput(EmbeddingBus.TEXTS,
        "at most " + MAX_TEXTS_PER_REQUEST + " texts per request").toException());
    }
    EmbeddingProvider.Purpose purpose = EmbeddingProvider.Purpose.parse(request.getString(EmbeddingBus.PURPOSE));
    List<Future<float[]>> vectors = new ArrayList<>(texts.size());
    List<String> misses = new ArrayList<>();
    List<Integer> missAt = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      if (!(texts.getValue(i) instanceof String text) || text.isBlank()) {
        return Future.failedFuture(BusFailure.badInput(EmbeddingBus.TEXTS + "[" + i + "]",
          "must be a non-empty string").toException());
      }
      float[] cached = cache.get(EmbeddingCache.key(purpose, text));
      if (cached != null) {
        cacheHits++;
      } else {
        misses.add(text);
        missAt.add(i);
      }
      vectors.add(cached == null ? null : Future.succeededFuture(cached));
    }
    List<Future<float[]>> computed = batcher.submit(misses, purpose);
    for (int m = 0; m < misses.size(); m++) {
      String key = EmbeddingCache.key(purpose, misses.get(m));
      vectors.set(missAt.get(m), computed.get(m).map(raw -> {
        float[] unit = Vectors.normalize(raw);
        cache.put(key, unit);
        return unit;
      }));
    }
    return Future.all(vectors).compose(all -> {
      JsonArray out = new JsonArray();
      for (int i = 0; i < all.size(); i++) {
        float[] vector = all.resultAt(i);
        if (vector.length != provider.dimension()) {
          return Future.failedFuture(BusFailure.unavailable("embedding:" + provider.name(), "embedding model "
            + provider.model() + " returned " + vector.length + " dimensions, expected " + provider.dimension())
            .toException());
        }
        out.add(Vectors.toJson(vector));
      }
      return Future.succeededFuture(new JsonObject()
        .put(EmbeddingBus.VECTORS, out)
        .put(EmbeddingBus.MODEL, provider.model())
        .put(EmbeddingBus.DIMENSION, provider.dimension())
        .put(EmbeddingBus.SEARCH_BASELINE, baselines == null ? 0.0 : baselines.search()));
    });
  }

  /**
   * STARTING while the model loads (requests wait for it), DOWN when it could not load or while a remote provider's
   * circuit is open (every embedding would fail fast until it closes).
   */
  private JsonObject health() {
    JsonObject described = provider.describe();
    JsonObject breaker = described.getJsonObject("breaker");
    boolean open = breaker != null && "OPEN".equals(breaker.getString("state"));
    String status = ready.failed() || open ? "DOWN" : ready.succeeded() ? "UP" : "STARTING";
    JsonObject health = new JsonObject()
      .put("status", status)
      .put("provider", provider.name())
      .put("model", provider.model())
      .put("dimension", provider.dimension())
      .put(EmbeddingBus.SIMILARITY_BASELINE, baselines == null ? 0.0 : baselines.words())
      .put(EmbeddingBus.SEARCH_BASELINE, baselines == null ? 0.0 : baselines.search())
      .put("calls", batcher.calls())
      .put("texts_embedded", batcher.texts())
      .put("queued", batcher.queued())
      .put("cache_entries", cache.size())
      .put("cache_hits", cacheHits)
      .mergeIn(described);
    if (ready.failed()) {
      health.put("reason", "the model could not be loaded: " + ready.cause().getMessage());
    } else if (open) {
      health.put("reason", "the circuit to " + provider.name() + " is open after repeated failures: "
        + breaker.getString("last_failure"));
    } else if (!ready.succeeded()) {
      health.put("reason", "loading the model; requests wait for it");
    }
    return health;
  }

  @Override
  public Future<?> stop() {
    return provider == null ? Future.succeededFuture() : provider.close();
  }
}
