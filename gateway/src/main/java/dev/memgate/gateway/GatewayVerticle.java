package dev.memgate.gateway;

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
    // The MCP tools' memory item comes from the OpenAPI contract: read beside the embedding model's start-up rather
    // than after it.
    Future<JsonObject> memoryItem = servesMcp() ? vertx.executeBlocking(VerticleConfigs::memoryItemSchema)
      : Future.succeededFuture();
    return vertx.deployVerticle(EmbeddingVerticle::new, options(configs.embedding()))
      .compose(id -> new BusClient(vertx).request(EmbeddingBus.HEALTH, new JsonObject(), 10_000))
      .compose(embedder -> {
        // The model's cosine between unrelated texts, which the graph's thresholds and the search scores are
        // relative to.
        double similarityBaseline = embedder.getDouble(EmbeddingBus.SIMILARITY_BASELINE);
        double searchBaseline = embedder.getDouble(EmbeddingBus.SEARCH_BASELINE);
        return vertx.deployVerticle(VectorVerticle::new, options(configs.vector(embedder.getString(EmbeddingBus.MODEL),
            embedder.getInteger(EmbeddingBus.DIMENSION))))
          .compose(id -> configs.llmEnabled()
            ? vertx.deployVerticle(LlmVerticle::new, options(configs.llm()))
            : Future.succeededFuture(id))
          .compose(id -> configs.graphEnabled()
            ? vertx.deployVerticle(GraphVerticle::new, options(configs.graph(similarityBaseline)))
            : Future.succeededFuture(id))
          .compose(id -> vertx.deployVerticle(MemoryVerticle::new, options(configs.memory(searchBaseline))));
      })
      .compose(id -> !servesHttp() ? Future.succeededFuture() : vertx.deployVerticle(HttpVerticle::new,
        options(configs.http()).setInstances(configs.httpInstances())))
      .compose(id -> !servesMcp() ? Future.succeededFuture() : memoryItem.compose(schema ->
        vertx.deployVerticle(() -> new McpVerticle(stdio), options(configs.mcp(mcpListens(), schema)))))
      .onSuccess(id -> announce());
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
    if (mcpListens() && settings.text("mcp.token").isEmpty() && settings.text("http.api_key").isEmpty()
      && !isLoopback(bind)) {
      LOG.warn("MCP listens on {} without a credential: anyone who can reach port {} can read and change memories; "
        + "set MEMGATE_API_KEY or MEMGATE_MCP_TOKEN", bind, McpVerticle.actualPort(vertx));
    }
    if (servesHttp() && settings.text("http.api_key").isEmpty() && !isLoopback(settings.text("http.bind"))) {
      LOG.warn("the REST API listens on {} without an API key: anyone who can reach port {} can read and change "
        + "memories; set MEMGATE_API_KEY", settings.text("http.bind"), HttpVerticle.actualPort(vertx));
    }
    LOG.info("Memgate is serving{}{}{}",
      servesHttp() ? " REST on http://" + settings.text("http.bind") + ":" + HttpVerticle.actualPort(vertx) : "",
      mcpListens() ? ", MCP on http://" + bind + ":" + McpVerticle.actualPort(vertx) + "/mcp" : "",
      stdio != null ? (servesHttp() ? "," : "") + " MCP on stdio" : "");
  }

  private static boolean isLoopback(String bind) {
    return HostPolicy.isLoopback(bind);
  }

  private static DeploymentOptions options(JsonObject config) {
    return new DeploymentOptions().setConfig(config);
  }
}
