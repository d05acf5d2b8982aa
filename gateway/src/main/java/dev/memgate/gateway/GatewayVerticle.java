package dev.memgate.gateway;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.EmbeddingBus;
import dev.memgate.contract.GraphBus;
import dev.memgate.contract.LlmBus;
import dev.memgate.contract.MemoryBus;
import dev.memgate.contract.UpstreamText;
import dev.memgate.edge.EdgeLimits;
import dev.memgate.edge.HostPolicy;
import dev.memgate.embedding.EmbeddingVerticle;
import dev.memgate.gateway.config.Settings;
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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: reads the settings once and deploys the verticles in dependency order, each with its own
 * slice of configuration. Undeploying this verticle undeploys them all.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private final Settings settings;
  /** The process's stdin/stdout when started with --stdio, else null. */
  private final StdioChannel stdio;

  public GatewayVerticle(Settings settings) {
    this(settings, null);
  }

  /**
   * The embedding model's cosine between unrelated words, which the graph's similarity thresholds are relative to;
   * known once the model has loaded.
   */
  private double similarityBaseline;

  public GatewayVerticle(Settings settings, StdioChannel stdio) {
    this.settings = settings;
    this.stdio = stdio;
  }

  @Override
  public Future<?> start() {
    // Whatever a dependency echoes back (a key, a password) is hidden before it reaches a client or a log.
    settings.secrets().forEach(UpstreamText::hide);
    BusClient bus = new BusClient(vertx);
    // The in-process model loads beside everything below (it is the slowest part of the start, and it is native
    // work on a thread of its own); whatever needs it waits for it. The store opens before the listeners, so that a
    // store that cannot open (locked by another process, built with another model) is refused before any client
    // is answered.
    return vertx.deployVerticle(EmbeddingVerticle::new, options(embeddingConfig()))
      .compose(id -> bus.request(EmbeddingBus.HEALTH, new JsonObject(), 10_000))
      .compose(embedder -> vertx.deployVerticle(VectorVerticle::new, options(vectorConfig(embedder))))
      .compose(id -> llmEnabled()
        ? vertx.deployVerticle(LlmVerticle::new, options(llmConfig()))
        : Future.succeededFuture(id))
      .compose(id -> graphEnabled()
        ? embeddingReady(bus).compose(embedder -> {
          similarityBaseline = embedder.getDouble(EmbeddingBus.SIMILARITY_BASELINE, 0.0);
          return vertx.deployVerticle(GraphVerticle::new, options(graphConfig()));
        })
        : Future.succeededFuture(id))
      .compose(id -> vertx.deployVerticle(MemoryVerticle::new, options(memoryConfig())))
      .compose(id -> !servesHttp() ? Future.succeededFuture() : vertx.deployVerticle(HttpVerticle::new,
        options(httpConfig()).setInstances(instances(settings.integer("http.instances")))))
      .compose(id -> !servesMcp() ? Future.succeededFuture() : vertx.deployVerticle(() -> new McpVerticle(stdio),
        options(mcpConfig())))
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
    // Without a token of its own, MCP asks for the REST key (see mcpConfig).
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

  private boolean llmEnabled() {
    return !settings.text("llm.provider").equals("none");
  }

  private boolean graphEnabled() {
    return !settings.text("graph.store").equals("none");
  }

  private static DeploymentOptions options(JsonObject config) {
    return new DeploymentOptions().setConfig(config);
  }

  private static int instances(int configured) {
    return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }

  private JsonObject embeddingConfig() {
    String provider = settings.text("embedder.provider");
    JsonObject config = new JsonObject()
      .put("provider", provider)
      .put("batch_size", settings.integer("embedder.batch_size"))
      .put("cache_size", settings.integer("embedder.cache_size"))
      .put("threads", instances(settings.integer("embedder.threads")))
      .put("deadline_ms", settings.integer("embedder.deadline_ms"))
      .mergeIn(breakerConfig());
    if (!settings.text("embedder.model").isEmpty()) {
      config.put("model", settings.text("embedder.model"));
    }
    if (settings.integer("embedder.dimensions") > 0) {
      config.put("dimensions", settings.integer("embedder.dimensions"));
    }
    return "onnx".equals(provider) ? config : config.mergeIn(endpointOf(provider));
  }

  /** Where a remote provider (Ollama, OpenAI-compatible, Anthropic) is, and its key: shared by embedder and LLM. */
  private JsonObject endpointOf(String provider) {
    return switch (provider) {
      case "ollama" -> new JsonObject().put("base_url", settings.text("ollama.base_url"));
      case "openai", "anthropic" -> new JsonObject().put("base_url", settings.text(provider + ".base_url"))
        .put("api_key", settings.text(provider + ".api_key"));
      default -> throw new IllegalStateException("no remote endpoint for provider " + provider);
    };
  }

  /** One breaker per remote provider, all with the same thresholds. */
  private JsonObject breakerConfig() {
    return new JsonObject()
      .put("max_retries", settings.integer("breaker.max_retries"))
      .put("breaker_max_failures", settings.integer("breaker.max_failures"))
      .put("breaker_reset_ms", settings.integer("breaker.reset_ms"));
  }

  private JsonObject llmConfig() {
    String provider = settings.text("llm.provider");
    JsonObject config = new JsonObject()
      .put("provider", provider)
      .put("temperature", settings.decimal("llm.temperature"))
      .put("max_tokens", settings.integer("llm.max_tokens"))
      .put("deadline_ms", settings.integer("llm.deadline_ms"))
      .put("openai_output", settings.text("llm.openai_structured_output"))
      .mergeIn(breakerConfig());
    if (!settings.text("llm.model").isEmpty()) {
      config.put("model", settings.text("llm.model"));
    }
    return config.mergeIn(endpointOf(provider));
  }

  /** How long one LLM call may take as the bus sees it: its deadline plus a margin, so the bus never gives up first. */
  private long llmCallMs() {
    return settings.integer("llm.deadline_ms") + LlmBus.BUS_MARGIN_MS;
  }

  /** How long an add may wait for another add of the same scope: about one whole inferred add. */
  private long scopeWaitMs() {
    return 2 * llmCallMs() + 2L * settings.integer("embedder.deadline_ms") + 10_000;
  }

  /** The HTTP edge waits for an add longer than the add itself may take, queueing behind another one included. */
  private long addTimeoutMs() {
    return llmEnabled() ? scopeWaitMs() + 2 * llmCallMs() + 2L * settings.integer("embedder.deadline_ms") + 20_000
      + (graphEnabled() ? GraphBus.TIMEOUT_MS : 0)
      : MemoryBus.TIMEOUT_MS;
  }

  /** Holds the Neo4j password: handed to the graph verticle only, never logged. */
  private JsonObject graphConfig() {
    JsonObject config = new JsonObject()
      .put("store", settings.text("graph.store"))
      .put("uri", settings.text("neo4j.uri"))
      .put("username", settings.text("neo4j.username"))
      .put("password", settings.text("neo4j.password"))
      .put("database", settings.text("neo4j.database"))
      .put("data_dir", settings.text("data.dir"))
      .put("embedded_port", settings.integer("graph.embedded_port"))
      .put("similarity_baseline", similarityBaseline)
      .put("merge_threshold", settings.decimal("graph.merge_threshold"))
      .put("related_threshold", settings.decimal("graph.related_threshold"))
      .put("search_limit", settings.integer("graph.search_limit"));
    if (llmEnabled()) {
      config.put("llm_deadline_ms", settings.integer("llm.deadline_ms"));
    }
    return config;
  }

  private JsonObject vectorConfig(JsonObject embedder) {
    int readThreads = settings.integer("vector.read_threads");
    JsonObject config = new JsonObject()
      .put("store", settings.text("vector.store"))
      .put("data_dir", settings.text("data.dir"))
      .put("read_threads", readThreads > 0 ? readThreads : 2 * Runtime.getRuntime().availableProcessors())
      .put("embedding_model", embedder.getString(EmbeddingBus.MODEL))
      .put("embedding_dimension", embedder.getInteger(EmbeddingBus.DIMENSION));
    if ("pgvector".equals(settings.text("vector.store"))) {
      config.put("pgvector", pgvectorConfig(settings));
    }
    return config;
  }

  /**
   * The vector verticle's {@code pgvector} configuration (the benchmark connects with it too). Holds the password:
   * handed to the vector verticle only, never logged.
   */
  public static JsonObject pgvectorConfig(Settings settings) {
    return new JsonObject()
      .put("url", settings.text("pgvector.url"))
      .put("host", settings.text("pgvector.host"))
      .put("port", settings.integer("pgvector.port"))
      .put("database", settings.text("pgvector.database"))
      .put("user", settings.text("pgvector.user"))
      .put("password", settings.text("pgvector.password"))
      .put("pool_size", settings.integer("pgvector.pool_size"))
      .put("connect_timeout_ms", settings.integer("pgvector.connect_timeout_ms"))
      .put("ef_search", settings.integer("pgvector.ef_search"))
      .put("exact_search_below", settings.integer("pgvector.exact_search_below"))
      .put("max_scan_tuples", settings.integer("pgvector.max_scan_tuples"));
  }

  private JsonObject memoryConfig() {
    JsonObject config = new JsonObject()
      .put("default_search_mode", settings.text("search.default_mode"))
      .put("limits", new JsonObject()
        .put("max_text_chars", settings.integer("limits.max_text_chars"))
        .put("max_messages", settings.integer("limits.max_messages"))
        .put("max_metadata_bytes", settings.integer("limits.max_metadata_bytes"))
        .put("max_query_chars", settings.integer("limits.max_query_chars"))
        .put("max_limit", settings.integer("limits.max_limit"))
        .put("default_search_limit", settings.integer("search.default_limit")))
      .put("graph", new JsonObject()
        .put("enabled", graphEnabled())
        // The graph's two LLM calls and its embeddings, beside the fact pipeline's.
        .put("prepare_timeout_ms", 2 * llmCallMs() + settings.integer("embedder.deadline_ms") + 10_000));
    if (llmEnabled()) {
      config.put("inference", new JsonObject()
        .put("provider", settings.text("llm.provider"))
        .put("deadline_ms", settings.integer("llm.deadline_ms"))
        .put("scope_wait_ms", scopeWaitMs())
        .put("custom_fact_extraction_prompt", settings.text("llm.custom_fact_extraction_prompt"))
        .put("custom_update_memory_prompt", settings.text("llm.custom_update_memory_prompt")));
    }
    return config;
  }

  /**
   * Holds the MCP credential: handed to the MCP verticle only, never logged. One key protects every door: without
   * an MCP token of its own, MCP takes the REST API key.
   */
  private JsonObject mcpConfig() {
    String token = settings.text("mcp.token").isEmpty() ? settings.text("http.api_key") : settings.text("mcp.token");
    return new JsonObject()
      .put("http", mcpListens())
      .put("bind", settings.text("mcp.bind"))
      .put("port", settings.integer("mcp.port"))
      .put("token", token)
      .put("allowed_origins", new JsonArray(settings.allowedOrigins()))
      .put("allowed_hosts", new JsonArray(settings.list("mcp.allowed_hosts")))
      .put("default_user", settings.text("mcp.default_user"))
      .put("max_message_bytes", settings.integer("mcp.max_message_bytes"))
      .put("session_idle_minutes", settings.integer("mcp.session_idle_minutes"))
      .put("edge", edgeConfig())
      .put("max_sessions", settings.integer("mcp.max_sessions"))
      .put("max_sessions_per_address", settings.integer("mcp.max_sessions_per_address"))
      .put("max_streams_per_address", settings.integer("mcp.max_streams_per_address"))
      .put("max_in_flight", settings.integer("mcp.max_in_flight"))
      .put("max_queued_bytes", settings.integer("mcp.max_queued_bytes"))
      .put("slow_client_timeout_ms", settings.integer("mcp.slow_client_timeout_ms"))
      // The memory service's limits (see memoryConfig), which the tools' input schemas declare.
      .put("limits", new JsonObject()
        .put("max_text_chars", settings.integer("limits.max_text_chars"))
        .put("max_query_chars", settings.integer("limits.max_query_chars"))
        .put("max_id_chars", dev.memgate.memory.Limits.from(new JsonObject()).maxIdChars())
        .put("max_limit", settings.integer("limits.max_limit")))
      .put("graph", !settings.text("graph.store").equals("none"))
      .put("version", Version.current());
  }

  /** The limits both listeners apply to every client; they share one connection budget. */
  private JsonObject edgeConfig() {
    return new EdgeLimits(settings.integer("edge.max_connections"), settings.integer("edge.max_connections_per_address"),
      settings.integer("edge.idle_timeout_seconds"), settings.integer("edge.header_timeout_ms"),
      settings.integer("edge.body_timeout_ms")).toJson();
  }

  private JsonObject httpConfig() {
    return new JsonObject()
      .put("bind", settings.text("http.bind"))
      .put("port", settings.integer("http.port"))
      .put("max_body_bytes", settings.integer("http.max_body_bytes"))
      .put("api_key", settings.text("http.api_key"))
      .put("edge", edgeConfig())
      .put("allowed_hosts", new JsonArray(settings.list("http.allowed_hosts")))
      .put("allowed_origins", new JsonArray(settings.list("http.allowed_origins")))
      .put("add_timeout_ms", addTimeoutMs())
      .put("public_config", settings.publicView())
      .put("version", Version.current());
  }
}
