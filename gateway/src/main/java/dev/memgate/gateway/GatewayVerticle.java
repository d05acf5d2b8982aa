package dev.memgate.gateway;

import dev.memgate.access.AccessVerticle;
import dev.memgate.contract.BusClient;
import dev.memgate.contract.EmbeddingBus;
import dev.memgate.contract.UpstreamText;
import dev.memgate.edge.HostPolicy;
import dev.memgate.embedding.EmbeddingVerticle;
import dev.memgate.gateway.config.Settings;
import dev.memgate.gateway.config.VerticleConfigs;
import dev.memgate.gateway.http.HttpVerticle;
import dev.memgate.graph.GraphVerticle;
import dev.memgate.llm.LlmVerticle;
import dev.memgate.mcp.McpVerticle;
import dev.memgate.mcp.transport.StdioChannel;
import dev.memgate.memory.MemoryVerticle;
import dev.memgate.vector.VectorVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: reads the settings once and deploys the verticles in dependency order, each with its own
 * slice of configuration ({@link VerticleConfigs}), complete: no verticle holds a default of its own. Undeploying
 * this verticle undeploys them all.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private final Settings settings;
  private final VerticleConfigs configs;
  /** The process's stdin/stdout when started with --stdio, else null. */
  private final StdioChannel stdio;

  public GatewayVerticle(Settings settings) {
    this(settings, null);
  }

  public GatewayVerticle(Settings settings, StdioChannel stdio) {
    this.settings = settings;
    this.configs = new VerticleConfigs(settings);
    this.stdio = stdio;
  }

  @Override
  public Future<?> start() {
    // Whatever a dependency echoes back (a key, a password) is hidden before it reaches a client or a log.
    settings.secrets().forEach(UpstreamText::hide);
    BusClient bus = new BusClient(vertx);
    // The MCP tools' memory item comes from the OpenAPI contract: read beside the embedding model's start-up rather
    // than after it.
    Future<JsonObject> memoryItem = servesMcp() ? vertx.executeBlocking(VerticleConfigs::memoryItemSchema)
      : Future.succeededFuture();
    // The in-process model loads beside everything below (it is the slowest part of the start, and it is native
    // work on a thread of its own); whatever needs it waits for it. The store opens before the listeners, so that a
    // store that cannot open (locked by another process, built with another model) is refused before any client
    // is answered.
    return vertx.deployVerticle(EmbeddingVerticle::new, options(configs.embedding()))
      .compose(id -> bus.request(EmbeddingBus.HEALTH, new JsonObject(), 10_000))
      .compose(embedder -> vertx.deployVerticle(VectorVerticle::new, options(configs.vector(
        embedder.getString(EmbeddingBus.MODEL), embedder.getInteger(EmbeddingBus.DIMENSION)))))
      .compose(id -> configs.llmEnabled()
        ? vertx.deployVerticle(LlmVerticle::new, options(configs.llm()))
        : Future.succeededFuture(id))
      // The graph's thresholds are relative to the model's cosine between unrelated words: known once it has loaded.
      .compose(id -> configs.graphEnabled()
        ? embeddingReady(bus).compose(embedder -> vertx.deployVerticle(GraphVerticle::new,
          options(configs.graph(embedder.getDouble(EmbeddingBus.SIMILARITY_BASELINE)))))
        : Future.succeededFuture(id))
      .compose(id -> vertx.deployVerticle(MemoryVerticle::new, options(configs.memory())))
      // Keys and the audit log, before any listener asks about a key.
      .compose(id -> vertx.deployVerticle(AccessVerticle::new, options(configs.access())))
      .compose(id -> !servesHttp() ? Future.succeededFuture() : vertx.deployVerticle(HttpVerticle::new,
        options(configs.http()).setInstances(configs.httpInstances())))
      .compose(id -> !servesMcp() ? Future.succeededFuture() : memoryItem.compose(schema ->
        vertx.deployVerticle(() -> new McpVerticle(stdio), options(configs.mcp(mcpListens(), schema)))))
      // Started means every part answers at once: a model that cannot load fails the start here.
      .compose(id -> embeddingReady(bus))
      .onSuccess(id -> announce());
  }

  /** The embedding service's health once its model has loaded. */
  private static Future<JsonObject> embeddingReady(BusClient bus) {
    return bus.request(EmbeddingBus.READY, new JsonObject(), EmbeddingBus.READY_TIMEOUT_MS);
  }

  /** In stdio mode no port opens unless asked for: a desktop app's instance must not collide with a server. */
  private boolean servesHttp() {
    return stdio == null || settings.flag("mcp.stdio_http");
  }

  private boolean servesMcp() {
    return stdio != null || settings.flag("mcp.enabled");
  }

  private boolean mcpListens() {
    return settings.flag("mcp.enabled") && servesHttp();
  }

  private void announce() {
    String bind = settings.text("mcp.bind");
    // Without a token of its own, MCP asks for the REST key (see VerticleConfigs.mcp).
    boolean tokens = !settings.text("oauth.issuer").isEmpty();
    if (mcpListens() && settings.text("mcp.token").isEmpty() && settings.text("http.api_key").isEmpty() && !tokens
      && !isLoopback(bind)) {
      LOG.warn("MCP listens on {} without a credential: anyone who can reach port {} can read and change memories; "
        + "set MEMGATE_API_KEY or MEMGATE_MCP_TOKEN", bind, McpVerticle.actualPort(vertx));
    }
    if (servesHttp() && settings.text("http.api_key").isEmpty() && !tokens
      && !isLoopback(settings.text("http.bind"))) {
      LOG.warn("the REST API listens on {} without an API key: anyone who can reach port {} can read and change "
        + "memories; set MEMGATE_API_KEY", settings.text("http.bind"), HttpVerticle.actualPort(vertx));
    }
    // One certificate serves both listeners.
    String scheme = settings.tls().enabled() ? "https" : "http";
    LOG.info("Memgate is serving{}{}{}",
      servesHttp() ? " REST on " + scheme + "://" + settings.text("http.bind") + ":" + HttpVerticle.actualPort(vertx)
        : "",
      mcpListens() ? ", MCP on " + scheme + "://" + bind + ":" + McpVerticle.actualPort(vertx) + "/mcp" : "",
      stdio != null ? (servesHttp() ? "," : "") + " MCP on stdio" : "");
  }

  private static boolean isLoopback(String bind) {
    return HostPolicy.isLoopback(bind);
  }

  private static DeploymentOptions options(JsonObject config) {
    return new DeploymentOptions().setConfig(config);
  }
}
