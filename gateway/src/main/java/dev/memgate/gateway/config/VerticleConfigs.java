package dev.memgate.gateway.config;

import dev.memgate.access.oidc.OidcConfig;
import dev.memgate.edge.EdgeLimits;
import dev.memgate.mcp.transport.ProtectedResource;
import dev.memgate.gateway.Version;
import dev.memgate.memory.Limits;
import dev.memgate.ratelimit.RateLimits;
import dev.memgate.vector.pgvector.PgConnection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Each verticle's configuration, built from the settings in force: the one place where {@code conf/memgate.yaml}'s
 * keys (with the user's file and environment over them) become the keys a verticle reads. Every value a verticle
 * needs is here, so a verticle holds no default of its own; the few it may go without are left out on purpose and
 * said so ({@code inference} without an LLM, {@code llm_timeout_ms} for the graph without an LLM, {@code dimensions}
 * for a model Memgate knows, an API key a local server does not need).
 *
 * <p>The composition root ({@code GatewayVerticle}) deploys with these; tests that start a single verticle take
 * theirs from here too, so that they run with the real defaults.
 */
public final class VerticleConfigs {
  /** The OpenAPI schema whose shape the MCP tools return for a memory. */
  public static final String MEMORY_SCHEMA = "Memory";

  private final Settings settings;
  private final AddTimeouts timeouts;

  public VerticleConfigs(Settings settings) {
    this.settings = settings;
    this.timeouts = AddTimeouts.of(settings);
  }

  public AddTimeouts timeouts() {
    return timeouts;
  }

  public boolean llmEnabled() {
    return !settings.text("llm.provider").equals("none");
  }

  public boolean graphEnabled() {
    return !settings.text("graph.store").equals("none");
  }

  /** REST verticle instances: {@code http.instances}, 0 meaning one per core. */
  public int httpInstances() {
    return perCore(settings.integer("http.instances"));
  }

  private static int perCore(int configured) {
    return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }

  public JsonObject embedding() {
    String provider = settings.text("embedder.provider");
    JsonObject config = new JsonObject()
      .put("provider", provider)
      .put("model", settings.text("embedder.model"))
      .put("batch_size", settings.integer("embedder.batch_size"))
      .put("cache_size", settings.integer("embedder.cache_size"));
    if (settings.integer("embedder.dimensions") > 0) {
      config.put("dimensions", settings.integer("embedder.dimensions"));
    }
    if ("onnx".equals(provider)) {
      // ONNX Runtime's threads per batch; a remote model computes elsewhere.
      return config.put("threads", perCore(settings.integer("embedder.threads")));
    }
    return config.put("deadline_ms", settings.integer("embedder.deadline_ms")).mergeIn(breaker())
      .mergeIn(endpointOf(provider));
  }

  /** Where a remote provider (Ollama, OpenAI-compatible, Anthropic) is, and its key: shared by embedder and LLM. */
  private JsonObject endpointOf(String provider) {
    JsonObject endpoint = new JsonObject().put("base_url", settings.text(provider + ".base_url"));
    return switch (provider) {
      case "ollama" -> endpoint;
      // Settings refused an empty Anthropic key, and an empty OpenAI one for OpenAI's own server: what is left
      // empty is a local server that needs none.
      case "openai", "anthropic" -> settings.text(provider + ".api_key").isEmpty() ? endpoint
        : endpoint.put("api_key", settings.text(provider + ".api_key"));
      default -> throw new IllegalStateException("no remote endpoint for provider " + provider);
    };
  }

  /** One breaker per remote provider, all with the same thresholds. */
  private JsonObject breaker() {
    return new JsonObject()
      .put("max_retries", settings.integer("breaker.max_retries"))
      .put("breaker_max_failures", settings.integer("breaker.max_failures"))
      .put("breaker_reset_ms", settings.integer("breaker.reset_ms"));
  }

  public JsonObject llm() {
    String provider = settings.text("llm.provider");
    JsonObject config = new JsonObject()
      .put("provider", provider)
      .put("model", settings.text("llm.model"))
      .put("temperature", settings.decimal("llm.temperature"))
      .put("max_tokens", settings.integer("llm.max_tokens"))
      .put("deadline_ms", settings.integer("llm.deadline_ms"))
      .mergeIn(breaker())
      .mergeIn(endpointOf(provider));
    if ("openai".equals(provider)) {
      config.put("openai_output", settings.text("llm.openai_structured_output"));
    }
    return config;
  }

  /**
   * Holds the Neo4j password: handed to the graph verticle only, never logged.
   *
   * @param similarityBaseline the embedding model's cosine between unrelated words, which the graph's thresholds are
   *                           relative to (measured by the embedding verticle at start-up)
   */
  public JsonObject graph(double similarityBaseline) {
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
      config.put("llm_timeout_ms", timeouts.llmCallMs());
    }
    return config;
  }

  /**
   * @param embeddingModel     the model the embedding verticle serves, which the store records
   * @param embeddingDimension its vector size
   */
  public JsonObject vector(String embeddingModel, int embeddingDimension) {
    int readThreads = settings.integer("vector.read_threads");
    JsonObject config = new JsonObject()
      .put("store", settings.text("vector.store"))
      .put("data_dir", settings.text("data.dir"))
      .put("read_threads", readThreads > 0 ? readThreads : 2 * Runtime.getRuntime().availableProcessors())
      .put("embedding_model", embeddingModel)
      .put("embedding_dimension", embeddingDimension);
    if ("pgvector".equals(settings.text("vector.store"))) {
      config.put("pgvector", pgvector());
    }
    return config;
  }

  /** The vector verticle's {@code pgvector} configuration. Holds the password: never logged. */
  private JsonObject pgvector() {
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

  /** The memory verticle's: its limits, search defaults, graph link and (with an LLM) inference. */
  public JsonObject memory() {
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
        .put("prepare_timeout_ms", timeouts.graphPrepareMs()));
    if (llmEnabled()) {
      config.put("inference", new JsonObject()
        .put("provider", settings.text("llm.provider"))
        .put("llm_timeout_ms", timeouts.llmCallMs())
        .put("scope_wait_ms", timeouts.scopeWaitMs())
        .put("custom_fact_extraction_prompt", settings.text("llm.custom_fact_extraction_prompt"))
        .put("custom_update_memory_prompt", settings.text("llm.custom_update_memory_prompt")));
    }
    return config;
  }

  /** The OpenAPI contract's memory item, its references resolved: what the MCP tools that return memories declare. */
  public static JsonObject memoryItemSchema() {
    return ContractSchemas.bundled().schema(MEMORY_SCHEMA);
  }

  /** As {@link #mcp(boolean, JsonObject)}, reading the memory item's schema from the contract now. */
  public JsonObject mcp(boolean listens) {
    return mcp(listens, memoryItemSchema());
  }

  /**
   * Holds the MCP credential: handed to the MCP verticle only, never logged. One key protects every door: without
   * an MCP token of its own, MCP takes the REST API key.
   *
   * @param listens    whether MCP opens its HTTP port (not in stdio mode unless asked for)
   * @param memoryItem the contract's memory item ({@link #memoryItemSchema()})
   */
  public JsonObject mcp(boolean listens, JsonObject memoryItem) {
    String token = settings.text("mcp.token").isEmpty() ? settings.text("http.api_key") : settings.text("mcp.token");
    JsonObject config = new JsonObject()
      .put("http", listens)
      .put("bind", settings.text("mcp.bind"))
      .put("port", settings.integer("mcp.port"))
      .put("token", token)
      .put("stored_keys", storedKeys())
      .put("allowed_origins", new JsonArray(settings.allowedOrigins()))
      .put("allowed_hosts", new JsonArray(settings.list("mcp.allowed_hosts")))
      .put("default_user", settings.text("mcp.default_user"))
      .put("max_message_bytes", settings.integer("mcp.max_message_bytes"))
      .put("session_idle_minutes", settings.integer("mcp.session_idle_minutes"))
      .put("edge", edge())
      .put("tls", settings.tls().toJson())
      .put("max_sessions", settings.integer("mcp.max_sessions"))
      .put("max_sessions_per_address", settings.integer("mcp.max_sessions_per_address"))
      .put("max_streams_per_address", settings.integer("mcp.max_streams_per_address"))
      .put("max_in_flight", settings.integer("mcp.max_in_flight"))
      .put("max_queued_bytes", settings.integer("mcp.max_queued_bytes"))
      .put("slow_client_timeout_ms", settings.integer("mcp.slow_client_timeout_ms"))
      .put("rate_limits", rateLimits())
      // The memory service's limits (see memory), which the tools' input schemas declare.
      .put("limits", new JsonObject()
        .put("max_text_chars", settings.integer("limits.max_text_chars"))
        .put("max_query_chars", settings.integer("limits.max_query_chars"))
        .put("max_id_chars", Limits.MAX_ID_CHARS)
        .put("max_limit", settings.integer("limits.max_limit"))
        .put("default_search_limit", settings.integer("search.default_limit"))
        .put("default_list_limit", Limits.DEFAULT_LIST_LIMIT))
      // The REST contract's memory item, which the tools that return memories declare as theirs.
      .put("memory_item_schema", memoryItem)
      .put("add_timeout_ms", timeouts.addMs())
      .put("graph", graphEnabled())
      .put("llm", llmEnabled())
      .put("version", Version.current())
      .put("public_url", settings.text("mcp.public_url"));
    return withOauth(config);
  }

  /**
   * The external authorization server's settings, on both listeners' configurations when an issuer is set (left
   * out otherwise: then no token is accepted). The audience is the configured one, else the MCP endpoint's
   * canonical URI.
   */
  private JsonObject withOauth(JsonObject config) {
    if (settings.text("oauth.issuer").isEmpty()) {
      return config;
    }
    String audience = settings.text("oauth.audience").isEmpty() ? ProtectedResource.uriOf(
      settings.text("mcp.public_url"), settings.text("mcp.bind"), settings.integer("mcp.port"),
      settings.tls().enabled())
      : settings.text("oauth.audience");
    return config.put("oauth", new OidcConfig(settings.text("oauth.issuer"), audience,
      settings.text("oauth.jwks_uri"), settings.text("oauth.user_claim"), settings.integer("oauth.leeway_seconds"),
      settings.integer("oauth.jwks_refresh_seconds"), settings.integer("oauth.jwks_min_refetch_seconds"),
      settings.integer("oauth.fetch_timeout_ms")).toJson());
  }

  /** The limits both listeners apply to every client; they share one connection budget. */
  private JsonObject edge() {
    return new EdgeLimits(settings.integer("edge.max_connections"),
      settings.integer("edge.max_connections_per_address"), settings.integer("edge.idle_timeout_seconds"),
      settings.integer("edge.header_timeout_ms"), settings.integer("edge.body_timeout_ms")).toJson();
  }

  /** The budgets both listeners spend from: one limiter per process, so a key's REST and MCP calls count together. */
  private JsonObject rateLimits() {
    return new RateLimits(settings.flag("rate_limits.enabled"),
      new RateLimits.PerMinute(settings.integer("rate_limits.per_key.reads_per_minute"),
        settings.integer("rate_limits.per_key.writes_per_minute"),
        settings.integer("rate_limits.per_key.inferences_per_minute")),
      new RateLimits.PerMinute(settings.integer("rate_limits.per_address.reads_per_minute"),
        settings.integer("rate_limits.per_address.writes_per_minute"),
        settings.integer("rate_limits.per_address.inferences_per_minute")),
      settings.integer("rate_limits.burst_seconds"), settings.integer("rate_limits.max_tracked")).toJson();
  }

  /**
   * The access service keeps keys and the audit log where the memories are: in PostgreSQL when they are there (so
   * every node sees the same keys), else in the data directory. Holds the database password: never logged.
   */
  public JsonObject access() {
    JsonObject config = new JsonObject().put("data_dir", settings.text("data.dir"));
    if ("pgvector".equals(settings.text("vector.store"))) {
      return config.put("store", "postgres").put("postgres", PgConnection.options(pgvector()).toJson());
    }
    return config.put("store", "file");
  }

  /** Stored keys are honoured once the operator has a key of their own to create them with (http.api_key). */
  public boolean storedKeys() {
    return !settings.text("http.api_key").isEmpty();
  }

  public JsonObject http() {
    return withOauth(new JsonObject()
      .put("bind", settings.text("http.bind"))
      .put("port", settings.integer("http.port"))
      .put("max_body_bytes", settings.integer("http.max_body_bytes"))
      .put("api_key", settings.text("http.api_key"))
      .put("stored_keys", storedKeys())
      .put("edge", edge())
      .put("tls", settings.tls().toJson())
      .put("allowed_hosts", new JsonArray(settings.list("http.allowed_hosts")))
      .put("allowed_origins", new JsonArray(settings.list("http.allowed_origins")))
      .put("add_timeout_ms", timeouts.addMs())
      .put("rate_limits", rateLimits())
      .put("public_config", settings.publicView())
      .put("version", Version.current()));
  }
}
