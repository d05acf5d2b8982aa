package dev.memgate.gateway.config;

import dev.memgate.mcp.protocol.McpProtocol;
import dev.memgate.edge.HostPolicy;
import dev.memgate.edge.OriginPolicy;
import dev.memgate.edge.tls.TlsMaterial;
import dev.memgate.edge.tls.TlsProblem;
import dev.memgate.edge.tls.TlsSettings;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The configuration in force: defaults from {@code conf/memgate.yaml} (built into the jar), then an optional
 * configuration file, then environment variables. Everything is checked here, once, so that a bad value stops
 * start-up with one line naming the key instead of failing later in a verticle.
 */
public final class Settings {
  public static final String DEFAULTS_RESOURCE = "conf/memgate.yaml";

  static final List<SettingKey> KEYS = List.of(
    SettingKey.text("http.bind", "MEMGATE_BIND", "MEMGATE_HTTP_BIND"),
    SettingKey.port("http.port", "MEMGATE_HTTP_PORT"),
    SettingKey.integer("http.max_body_bytes", 1_024, 1L << 30, "MEMGATE_HTTP_MAX_BODY_BYTES"),
    SettingKey.integer("http.instances", 0, 64, "MEMGATE_HTTP_INSTANCES"),
    SettingKey.secret("http.api_key", "MEMGATE_API_KEY", "ADMIN_API_KEY"),
    SettingKey.text("http.allowed_hosts", "MEMGATE_HTTP_ALLOWED_HOSTS", "MEMGATE_ALLOWED_HOSTS"),
    SettingKey.choice("security.allow_open", Set.of("true", "false"), "MEMGATE_ALLOW_OPEN"),
    SettingKey.text("http.allowed_origins", "MEMGATE_HTTP_ALLOWED_ORIGINS"),
    SettingKey.integer("edge.max_connections", 0, 1_000_000, "MEMGATE_MAX_CONNECTIONS"),
    SettingKey.integer("edge.max_connections_per_address", 1, 1_000_000, "MEMGATE_MAX_CONNECTIONS_PER_ADDRESS"),
    SettingKey.integer("edge.idle_timeout_seconds", 1, 86_400, "MEMGATE_IDLE_TIMEOUT_SECONDS"),
    SettingKey.integer("edge.header_timeout_ms", 100, 600_000, "MEMGATE_HEADER_TIMEOUT_MS"),
    SettingKey.integer("edge.body_timeout_ms", 100, 3_600_000, "MEMGATE_BODY_TIMEOUT_MS"),
    SettingKey.choice("rate_limits.enabled", Set.of("true", "false"), "MEMGATE_RATE_LIMIT_ENABLED"),
    SettingKey.integer("rate_limits.per_key.reads_per_minute", 1, 100_000_000, "MEMGATE_RATE_LIMIT_READS_PER_MINUTE"),
    SettingKey.integer("rate_limits.per_key.writes_per_minute", 1, 100_000_000,
      "MEMGATE_RATE_LIMIT_WRITES_PER_MINUTE"),
    SettingKey.integer("rate_limits.per_key.inferences_per_minute", 1, 100_000_000,
      "MEMGATE_RATE_LIMIT_INFERENCES_PER_MINUTE"),
    SettingKey.integer("rate_limits.per_address.reads_per_minute", 1, 100_000_000,
      "MEMGATE_RATE_LIMIT_ADDRESS_READS_PER_MINUTE"),
    SettingKey.integer("rate_limits.per_address.writes_per_minute", 1, 100_000_000,
      "MEMGATE_RATE_LIMIT_ADDRESS_WRITES_PER_MINUTE"),
    SettingKey.integer("rate_limits.per_address.inferences_per_minute", 1, 100_000_000,
      "MEMGATE_RATE_LIMIT_ADDRESS_INFERENCES_PER_MINUTE"),
    SettingKey.integer("rate_limits.burst_seconds", 1, 3_600, "MEMGATE_RATE_LIMIT_BURST_SECONDS"),
    SettingKey.integer("rate_limits.max_tracked", 1_000, 100_000_000, "MEMGATE_RATE_LIMIT_MAX_TRACKED"),
    SettingKey.text("tls.cert_file", "MEMGATE_TLS_CERT"),
    SettingKey.text("tls.key_file", "MEMGATE_TLS_KEY"),
    SettingKey.choice("tls.client_auth", Set.of("none", "request", "required"), "MEMGATE_TLS_CLIENT_AUTH"),
    SettingKey.text("tls.client_ca_file", "MEMGATE_TLS_CLIENT_CA"),
    SettingKey.integer("tls.reload_interval_ms", 0, 86_400_000, "MEMGATE_TLS_RELOAD_INTERVAL_MS"),
    SettingKey.text("data.dir", "MEMGATE_DATA_DIR"),
    SettingKey.choice("vector.store", Set.of("lucene", "pgvector", "supabase"), "VECTOR_STORE",
      "MEMGATE_VECTOR_STORE"),
    SettingKey.integer("vector.read_threads", 0, 256, "MEMGATE_VECTOR_READ_THREADS"),
    SettingKey.databaseUrl("pgvector.url", "DATABASE_URL", "SUPABASE_DB_URL", "MEMGATE_DATABASE_URL"),
    SettingKey.text("pgvector.host", "PGHOST"),
    SettingKey.port("pgvector.port", "PGPORT"),
    SettingKey.text("pgvector.database", "PGDATABASE"),
    SettingKey.text("pgvector.user", "PGUSER"),
    SettingKey.secret("pgvector.password", "PGPASSWORD"),
    SettingKey.integer("pgvector.pool_size", 1, 1_000, "MEMGATE_PG_POOL_SIZE"),
    SettingKey.integer("pgvector.connect_timeout_ms", 100, 600_000, "MEMGATE_PG_CONNECT_TIMEOUT_MS"),
    SettingKey.integer("pgvector.ef_search", 1, 1_000, "MEMGATE_PG_EF_SEARCH"),
    SettingKey.integer("pgvector.exact_search_below", 0, 100_000_000, "MEMGATE_PG_EXACT_SEARCH_BELOW"),
    SettingKey.integer("pgvector.max_scan_tuples", 1, Integer.MAX_VALUE, "MEMGATE_PG_MAX_SCAN_TUPLES"),
    SettingKey.choice("embedder.provider", Set.of("onnx", "ollama", "openai"), "EMBEDDER_PROVIDER",
      "MEMGATE_EMBEDDER_PROVIDER"),
    SettingKey.text("embedder.model", "EMBEDDER_MODEL", "MEMGATE_EMBEDDER_MODEL"),
    SettingKey.text("embedder.default_model.onnx"),
    SettingKey.text("embedder.default_model.ollama"),
    SettingKey.text("embedder.default_model.openai"),
    SettingKey.integer("embedder.dimensions", 0, 65_536, "EMBEDDER_DIMENSIONS", "MEMGATE_EMBEDDER_DIMENSIONS"),
    SettingKey.integer("embedder.batch_size", 1, 1_024, "MEMGATE_EMBEDDER_BATCH_SIZE"),
    SettingKey.integer("embedder.cache_size", 0, 10_000_000, "MEMGATE_EMBEDDER_CACHE_SIZE"),
    SettingKey.integer("embedder.threads", 0, 256, "MEMGATE_EMBEDDER_THREADS"),
    SettingKey.integer("embedder.deadline_ms", 100, 600_000, "MEMGATE_EMBEDDER_DEADLINE_MS"),
    SettingKey.url("ollama.base_url", "OLLAMA_BASE_URL", "OLLAMA_HOST"),
    SettingKey.url("openai.base_url", "OPENAI_BASE_URL"),
    SettingKey.secret("openai.api_key", "OPENAI_API_KEY"),
    SettingKey.url("anthropic.base_url", "ANTHROPIC_BASE_URL"),
    SettingKey.secret("anthropic.api_key", "ANTHROPIC_API_KEY"),
    SettingKey.choice("llm.provider", Set.of("none", "ollama", "openai", "anthropic"), "LLM_PROVIDER",
      "MEMGATE_LLM_PROVIDER"),
    SettingKey.text("llm.model", "LLM_MODEL", "MEMGATE_LLM_MODEL"),
    SettingKey.text("llm.default_model.ollama"),
    SettingKey.text("llm.default_model.openai"),
    SettingKey.text("llm.default_model.anthropic"),
    SettingKey.decimal("llm.temperature", 0, 2, "LLM_TEMPERATURE", "MEMGATE_LLM_TEMPERATURE"),
    SettingKey.integer("llm.max_tokens", 64, 200_000, "LLM_MAX_TOKENS", "MEMGATE_LLM_MAX_TOKENS"),
    SettingKey.integer("llm.deadline_ms", 500, 600_000, "MEMGATE_LLM_DEADLINE_MS"),
    SettingKey.choice("llm.openai_structured_output", Set.of("json_schema", "json_object", "tools"),
      "MEMGATE_LLM_OPENAI_STRUCTURED_OUTPUT"),
    SettingKey.prompt("llm.custom_fact_extraction_prompt", "CUSTOM_FACT_EXTRACTION_PROMPT",
      "MEMGATE_CUSTOM_FACT_EXTRACTION_PROMPT"),
    SettingKey.prompt("llm.custom_update_memory_prompt", "CUSTOM_UPDATE_MEMORY_PROMPT",
      "MEMGATE_CUSTOM_UPDATE_MEMORY_PROMPT"),
    SettingKey.integer("breaker.max_retries", 0, 10, "MEMGATE_BREAKER_MAX_RETRIES"),
    SettingKey.integer("breaker.max_failures", 1, 1_000, "MEMGATE_BREAKER_MAX_FAILURES"),
    SettingKey.integer("breaker.reset_ms", 100, 3_600_000, "MEMGATE_BREAKER_RESET_MS"),
    SettingKey.choice("graph.store", Set.of("auto", "embedded", "neo4j", "none"), "GRAPH_STORE",
      "MEMGATE_GRAPH_STORE"),
    SettingKey.port("graph.embedded_port", "MEMGATE_GRAPH_EMBEDDED_PORT"),
    SettingKey.decimal("graph.merge_threshold", 0, 1, "MEMGATE_GRAPH_MERGE_THRESHOLD"),
    SettingKey.decimal("graph.related_threshold", 0, 1, "MEMGATE_GRAPH_RELATED_THRESHOLD"),
    SettingKey.integer("graph.search_limit", 1, 100, "MEMGATE_GRAPH_SEARCH_LIMIT"),
    SettingKey.text("neo4j.uri", "NEO4J_URI", "NEO4J_URL"),
    SettingKey.text("neo4j.username", "NEO4J_USERNAME", "NEO4J_USER"),
    SettingKey.secret("neo4j.password", "NEO4J_PASSWORD"),
    SettingKey.text("neo4j.database", "NEO4J_DATABASE"),
    SettingKey.choice("search.default_mode", Set.of("vector", "keyword", "hybrid"), "MEMGATE_SEARCH_MODE"),
    SettingKey.integer("search.default_limit", 1, 1_000, "MEMGATE_SEARCH_DEFAULT_LIMIT"),
    SettingKey.integer("limits.max_text_chars", 16, 1_000_000, "MEMGATE_MAX_TEXT_CHARS"),
    SettingKey.integer("limits.max_messages", 1, 100_000, "MEMGATE_MAX_MESSAGES"),
    SettingKey.integer("limits.max_metadata_bytes", 64, 1_000_000, "MEMGATE_MAX_METADATA_BYTES"),
    SettingKey.integer("limits.max_query_chars", 16, 100_000, "MEMGATE_MAX_QUERY_CHARS"),
    SettingKey.integer("limits.max_limit", 1, 100_000, "MEMGATE_MAX_LIMIT"),
    SettingKey.choice("mcp.enabled", Set.of("true", "false"), "MEMGATE_MCP_ENABLED"),
    SettingKey.text("mcp.bind", "MEMGATE_MCP_BIND", "MEMGATE_BIND"),
    SettingKey.port("mcp.port", "MEMGATE_MCP_PORT"),
    SettingKey.secret("mcp.token", "MEMGATE_MCP_TOKEN"),
    SettingKey.text("mcp.allowed_origins", "MEMGATE_MCP_ALLOWED_ORIGINS"),
    SettingKey.text("mcp.allowed_hosts", "MEMGATE_MCP_ALLOWED_HOSTS", "MEMGATE_ALLOWED_HOSTS"),
    SettingKey.text("mcp.default_user", "MEMGATE_DEFAULT_USER"),
    SettingKey.integer("mcp.max_message_bytes", 1_024, 64L << 20, "MEMGATE_MCP_MAX_MESSAGE_BYTES"),
    SettingKey.integer("mcp.session_idle_minutes", 1, 10_080, "MEMGATE_MCP_SESSION_IDLE_MINUTES"),
    SettingKey.integer("mcp.max_sessions", 1, 1_000_000, "MEMGATE_MCP_MAX_SESSIONS"),
    SettingKey.integer("mcp.max_sessions_per_address", 1, 1_000_000, "MEMGATE_MCP_MAX_SESSIONS_PER_ADDRESS"),
    SettingKey.integer("mcp.max_streams_per_address", 1, 1_000_000, "MEMGATE_MCP_MAX_STREAMS_PER_ADDRESS"),
    SettingKey.integer("mcp.max_in_flight", 1, 10_000, "MEMGATE_MCP_MAX_IN_FLIGHT"),
    SettingKey.integer("mcp.max_queued_bytes", 1_024, 1L << 30, "MEMGATE_MCP_MAX_QUEUED_BYTES"),
    SettingKey.integer("mcp.slow_client_timeout_ms", 100, 3_600_000, "MEMGATE_MCP_SLOW_CLIENT_TIMEOUT_MS"),
    SettingKey.choice("mcp.stdio_http", Set.of("true", "false"), "MEMGATE_STDIO_HTTP"),
    SettingKey.url("mcp.public_url", "MEMGATE_PUBLIC_URL", "MEMGATE_MCP_PUBLIC_URL"),
    SettingKey.url("oauth.issuer", "MEMGATE_OAUTH_ISSUER"),
    SettingKey.text("oauth.audience", "MEMGATE_OAUTH_AUDIENCE"),
    SettingKey.url("oauth.jwks_uri", "MEMGATE_OAUTH_JWKS_URI"),
    SettingKey.text("oauth.user_claim", "MEMGATE_OAUTH_USER_CLAIM"),
    SettingKey.integer("oauth.leeway_seconds", 0, 600, "MEMGATE_OAUTH_LEEWAY_SECONDS"),
    SettingKey.integer("oauth.jwks_refresh_seconds", 60, 604_800, "MEMGATE_OAUTH_JWKS_REFRESH_SECONDS"),
    SettingKey.integer("oauth.jwks_min_refetch_seconds", 1, 3_600, "MEMGATE_OAUTH_JWKS_MIN_REFETCH_SECONDS"),
    SettingKey.integer("oauth.fetch_timeout_ms", 100, 60_000, "MEMGATE_OAUTH_FETCH_TIMEOUT_MS"),
    SettingKey.choice("cluster.enabled", Set.of("true", "false"), "MEMGATE_CLUSTER_ENABLED"),
    SettingKey.text("cluster.name", "MEMGATE_CLUSTER_NAME"),
    SettingKey.text("cluster.host", "MEMGATE_CLUSTER_HOST"),
    SettingKey.integer("cluster.port", 1, 65_535, "MEMGATE_CLUSTER_PORT"),
    SettingKey.port("cluster.bus_port", "MEMGATE_CLUSTER_BUS_PORT"),
    SettingKey.text("cluster.members", "MEMGATE_CLUSTER_MEMBERS"));

  private final Map<String, Object> values;
  private final Map<String, String> sources;

  private Settings(Map<String, Object> values, Map<String, String> sources) {
    this.values = values;
    this.sources = sources;
  }

  /**
   * Loads the configuration.
   *
   * @param env        the environment (System.getenv() in production, a map in tests)
   * @param configFile an extra YAML file, or null
   */
  public static Settings load(Map<String, String> env, Path configFile) {
    Map<String, String> raw = new LinkedHashMap<>();
    Map<String, String> sources = new LinkedHashMap<>();
    try (InputStream defaults = Settings.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (defaults == null) {
        throw new ConfigurationException("the default configuration " + DEFAULTS_RESOURCE + " is missing from the "
          + "class path");
      }
      readYaml(new String(defaults.readAllBytes(), StandardCharsets.UTF_8), DEFAULTS_RESOURCE, raw, sources);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read " + DEFAULTS_RESOURCE + ": " + e.getMessage());
    }
    if (configFile != null) {
      try {
        readYaml(Files.readString(configFile), configFile.toString(), raw, sources);
      } catch (IOException e) {
        throw new ConfigurationException("cannot read the configuration file " + configFile + ": " + e.getMessage());
      }
    }
    for (SettingKey key : KEYS) {
      for (String name : key.env()) {
        String value = env.get(name);
        if (value != null) {
          raw.put(key.name(), value);
          sources.put(key.name(), "env " + name);
          break;
        }
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (SettingKey key : KEYS) {
      if (!raw.containsKey(key.name())) {
        throw new ConfigurationException(key.label() + ": no value (the default configuration lacks it)");
      }
      values.put(key.name(), parse(key, raw.get(key.name()).strip(), sources.get(key.name())));
    }
    // Supabase is PostgreSQL with pgvector: the same store.
    values.computeIfPresent("vector.store", (name, store) -> "supabase".equals(store) ? "pgvector" : store);
    // auto: the embedded graph when an LLM can write to it (without one nothing could ever be written there) and
    // its add-on is installed (a distribution may leave the GPLv3 Neo4j out; then the graph is off, as /health shows).
    if ("auto".equals(values.get("graph.store"))) {
      values.put("graph.store", "none".equals(values.get("llm.provider")) || !AddOnRequirements.embeddedGraphInstalled()
        ? "none" : "embedded");
    }
    // No model named: the provider's default, from the same file, so that what is in force is what /health shows.
    defaultModel(values, "embedder");
    if (!"none".equals(values.get("llm.provider"))) {
      defaultModel(values, "llm");
    }
    Settings settings = new Settings(values, sources);
    settings.checkConsistency();
    AddOnRequirements.check(settings);
    return settings;
  }

  /** {@code <part>.model} when empty becomes {@code <part>.default_model.<provider>}, which must name one. */
  private static void defaultModel(Map<String, Object> values, String part) {
    if (!((String) values.get(part + ".model")).isEmpty()) {
      return;
    }
    String key = part + ".default_model." + values.get(part + ".provider");
    String model = (String) values.get(key);
    if (model == null || model.isEmpty()) {
      throw new ConfigurationException(label(part + ".model") + ": no model given, and " + key + " names none");
    }
    values.put(part + ".model", model);
  }

  private static void readYaml(String text, String origin, Map<String, String> raw, Map<String, String> sources) {
    Object tree;
    try {
      tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (RuntimeException e) {
      throw new ConfigurationException(origin + ": not valid YAML (" + e.getMessage().lines().findFirst()
        .orElse("") + ")");
    }
    if (tree == null) {
      return;
    }
    if (!(tree instanceof Map<?, ?> map)) {
      throw new ConfigurationException(origin + ": must be a mapping of keys");
    }
    flatten("", map, origin, raw, sources);
  }

  private static void flatten(String prefix, Map<?, ?> map, String origin, Map<String, String> raw,
                              Map<String, String> sources) {
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String name = prefix + entry.getKey();
      if (entry.getValue() instanceof Map<?, ?> nested) {
        flatten(name + ".", nested, origin, raw, sources);
        continue;
      }
      if (KEYS.stream().noneMatch(k -> k.name().equals(name))) {
        throw new ConfigurationException(origin + ": unknown key " + name);
      }
      raw.put(name, entry.getValue() == null ? "" : entry.getValue().toString());
      sources.put(name, origin);
    }
  }

  private static Object parse(SettingKey key, String value, String source) {
    String shown = "\"" + shown(key, value) + "\"";
    String where = source.startsWith("env ")
      ? source.substring(4) + " (" + key.name() + ") = " + shown
      : key.name() + " = " + shown + " in " + source;
    switch (key.kind()) {
      case TEXT, SECRET:
        return value;
      case PROMPT:
        return promptText(value, where);
      case DECIMAL:
        double decimal;
        try {
          decimal = Double.parseDouble(value);
        } catch (NumberFormatException e) {
          throw new ConfigurationException(where + ": not a number");
        }
        if (!(decimal >= key.min() && decimal <= key.max())) {
          throw new ConfigurationException(where + ": must be between " + key.min() + " and " + key.max());
        }
        return decimal;
      case INTEGER, PORT:
        long number;
        try {
          number = Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw new ConfigurationException(where + ": not a whole number");
        }
        if (number < key.min() || number > key.max()) {
          throw new ConfigurationException(where + ": must be between " + key.min() + " and " + key.max());
        }
        return (int) number;
      case CHOICE:
        String lower = value.toLowerCase(Locale.ROOT);
        if (!key.choices().contains(lower)) {
          throw new ConfigurationException(where + ": must be one of " + String.join(", ",
            key.choices().stream().sorted().toList()));
        }
        return lower;
      case URL:
        if (value.isEmpty()) {
          return value;
        }
        String withScheme = value.contains("://") ? value : "http://" + value;
        try {
          URI uri = new URI(withScheme);
          if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new URISyntaxException(value, "needs http:// or https:// and a host");
          }
        } catch (URISyntaxException e) {
          throw new ConfigurationException(where + ": not an http(s) URL");
        }
        return withScheme;
      case DATABASE_URL:
        if (value.isEmpty()) {
          return value;
        }
        try {
          URI uri = new URI(value);
          if (uri.getScheme() == null || !(uri.getScheme().equals("postgresql") || uri.getScheme().equals("postgres"))
            || uri.getHost() == null) {
            throw new URISyntaxException("(hidden)", "needs postgresql:// and a host");
          }
        } catch (URISyntaxException e) {
          // Not the value itself: it may hold a password. Percent-encode special characters in the password.
          throw new ConfigurationException(key.label() + " from " + source + ": not a postgresql://user:password@host"
            + ":port/database URL (percent-encode special characters in the password)");
        }
        return value;
      default:
        throw new IllegalStateException(key.kind().name());
    }
  }

  /** A value as it may be shown: secrets hidden, database URLs without their password. */
  private static String shown(SettingKey key, String value) {
    return switch (key.kind()) {
      case SECRET -> value.isEmpty() ? "" : "***";
      case DATABASE_URL -> withoutPassword(value);
      default -> value;
    };
  }

  /** {@code postgresql://user:secret@host/db?password=x} → {@code postgresql://user:***@host/db?password=***}. */
  static String withoutPassword(String url) {
    return url.replaceAll("(://[^:/?#@]*):[^@/?#]*@", "$1:***@").replaceAll("(?i)([?&]password=)[^&#]*", "$1***");
  }

  /**
   * A prompt given inline, or as the path of a file holding it (a value naming an existing file is read from it).
   * A one-line value that looks like a path but names no file is refused rather than sent to the model.
   */
  private static String promptText(String value, String where) {
    if (value.isEmpty() || value.contains("\n")) {
      return value;
    }
    Path file;
    try {
      file = Path.of(value);
    } catch (RuntimeException notAPath) {
      return value;
    }
    if (Files.isRegularFile(file)) {
      try {
        String text = Files.readString(file).strip();
        if (text.isEmpty()) {
          throw new ConfigurationException(where + ": the file is empty");
        }
        return text;
      } catch (IOException e) {
        throw new ConfigurationException(where + ": cannot read the file (" + e.getMessage() + ")");
      }
    }
    if (value.matches("[^\\s]*[/\\\\][^\\s]*") || value.matches("\\S+\\.(txt|md|prompt)")) {
      throw new ConfigurationException(where + ": no such file");
    }
    return value;
  }

  /** Settings that are each valid but cannot work together. */
  private void checkConsistency() {
    if (text("http.bind").isEmpty()) {
      throw new ConfigurationException("MEMGATE_BIND (http.bind): must not be empty (use 127.0.0.1 or 0.0.0.0)");
    }
    if (text("data.dir").isEmpty()) {
      throw new ConfigurationException("MEMGATE_DATA_DIR (data.dir): must not be empty");
    }
    if (text("embedder.provider").equals("openai") && text("openai.api_key").isEmpty()
      && text("openai.base_url").startsWith("https://api.openai.com")) {
      throw new ConfigurationException("EMBEDDER_PROVIDER (embedder.provider) = openai needs OPENAI_API_KEY, or "
        + "OPENAI_BASE_URL pointing at a server that needs no key");
    }
    if (text("embedder.provider").equals("ollama") && text("ollama.base_url").isEmpty()) {
      throw new ConfigurationException("EMBEDDER_PROVIDER (embedder.provider) = ollama needs OLLAMA_BASE_URL");
    }
    if (text("vector.store").equals("pgvector") && text("pgvector.url").isEmpty()
      && text("pgvector.host").isEmpty()) {
      throw new ConfigurationException("VECTOR_STORE (vector.store) = pgvector needs a database: set DATABASE_URL "
        + "(or SUPABASE_DB_URL, MEMGATE_DATABASE_URL) to a postgresql:// URL, or PGHOST (with PGPORT, PGDATABASE, "
        + "PGUSER, PGPASSWORD)");
    }
    String llm = text("llm.provider");
    if (llm.equals("openai") && text("openai.api_key").isEmpty()
      && text("openai.base_url").startsWith("https://api.openai.com")) {
      throw new ConfigurationException("LLM_PROVIDER (llm.provider) = openai needs OPENAI_API_KEY, or "
        + "OPENAI_BASE_URL pointing at a server that needs no key");
    }
    if (llm.equals("anthropic") && text("anthropic.api_key").isEmpty()) {
      throw new ConfigurationException("LLM_PROVIDER (llm.provider) = anthropic needs ANTHROPIC_API_KEY");
    }
    if (llm.equals("ollama") && text("ollama.base_url").isEmpty()) {
      throw new ConfigurationException("LLM_PROVIDER (llm.provider) = ollama needs OLLAMA_BASE_URL");
    }
    if (text("graph.store").equals("neo4j")
      && !text("neo4j.uri").matches("(?i)(bolt|neo4j)(\\+s|\\+ssc)?://[^\\s/]+.*")) {
      throw new ConfigurationException("GRAPH_STORE (graph.store) = neo4j needs NEO4J_URI (neo4j.uri): a bolt:// or "
        + "neo4j:// URL of the server, e.g. neo4j://localhost:7687");
    }
    checkMcp();
    checkOauth();
    ClusterChecks.check(this);
    checkEdge();
    checkOpenListeners();
    checkTls();
    if (text("embedder.provider").equals("onnx") && integer("embedder.dimensions") != 0) {
      throw new ConfigurationException("EMBEDDER_DIMENSIONS (embedder.dimensions) cannot be set for the onnx "
        + "provider: its models have a fixed size");
    }
  }

  /**
   * A listener reachable from other machines without any credential would let anyone read and wipe every user's
   * memories: it does not start unless the operator says, in so many words, that it should run open.
   */
  private void checkOpenListeners() {
    // An authorization server's tokens are a credential too: with an issuer set, no listener is open.
    if (flag("security.allow_open") || !text("http.api_key").isEmpty() || !text("oauth.issuer").isEmpty()) {
      return;
    }
    if (!HostPolicy.isLoopback(text("http.bind"))) {
      throw new ConfigurationException("MEMGATE_BIND (http.bind) = " + text("http.bind") + " reaches beyond this "
        + "machine and no key is set: set MEMGATE_API_KEY (http.api_key), or MEMGATE_ALLOW_OPEN=true to serve "
        + "without one");
    }
    if (flag("mcp.enabled") && text("mcp.token").isEmpty() && !HostPolicy.isLoopback(text("mcp.bind"))) {
      throw new ConfigurationException("MEMGATE_MCP_BIND (mcp.bind) = " + text("mcp.bind") + " reaches beyond this "
        + "machine and no credential is set: set MEMGATE_API_KEY or MEMGATE_MCP_TOKEN, or MEMGATE_ALLOW_OPEN=true "
        + "to serve without one");
    }
  }

  private void checkMcp() {
    String user = text("mcp.default_user");
    if (!user.isEmpty() && McpProtocol.userIdProblem(user) != null) {
      throw new ConfigurationException("MEMGATE_DEFAULT_USER (mcp.default_user) " + McpProtocol.userIdProblem(user));
    }
    if (!flag("mcp.enabled")) {
      return;
    }
    if (text("mcp.bind").isEmpty()) {
      throw new ConfigurationException("MEMGATE_MCP_BIND (mcp.bind): must not be empty (use 127.0.0.1 or 0.0.0.0)");
    }
    if (integer("mcp.port") != 0 && integer("mcp.port") == integer("http.port")) {
      throw new ConfigurationException("MEMGATE_MCP_PORT (mcp.port) = " + integer("mcp.port") + " is also the REST "
        + "port (MEMGATE_HTTP_PORT): give MCP a port of its own");
    }
  }

  /**
   * Tokens must name the MCP endpoint's address in their audience (or the configured one): with an issuer set, that
   * address must be one clients can use, not a wildcard bind or a port picked at start-up.
   */
  private void checkOauth() {
    if (text("oauth.issuer").isEmpty()) {
      return;
    }
    if (text("oauth.user_claim").isEmpty()) {
      throw new ConfigurationException("MEMGATE_OAUTH_USER_CLAIM (oauth.user_claim): must name the claim that "
        + "holds the user (sub by default)");
    }
    if (!text("oauth.audience").isEmpty() || !text("mcp.public_url").isEmpty()) {
      return;
    }
    if (!HostPolicy.isLoopback(text("mcp.bind")) || integer("mcp.port") == 0) {
      throw new ConfigurationException("MEMGATE_OAUTH_ISSUER (oauth.issuer) is set, so tokens must name this "
        + "server's address in their audience: set MEMGATE_PUBLIC_URL (mcp.public_url) to the address clients use "
        + "(e.g. https://memory.example.com), or MEMGATE_OAUTH_AUDIENCE (oauth.audience)");
    }
  }

  /** The Host and Origin lists of both listeners, each checked by the policy that will enforce it. */
  private void checkEdge() {
    for (String listener : List.of("http", "mcp")) {
      String key = listener + ".allowed_origins";
      try {
        OriginPolicy.of(list(key));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(label(key) + ": " + e.getMessage());
      }
      key = listener + ".allowed_hosts";
      try {
        HostPolicy.of(list(key), text(listener + ".bind"));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(label(key) + ": " + e.getMessage());
      }
    }
  }

  /**
   * The certificate, key and client CA both listeners will serve, read and checked now: a file that is missing or
   * unreadable, or a key that is not the certificate's, stops start-up naming the setting, instead of every client's
   * handshake failing later.
   */
  private void checkTls() {
    TlsSettings tls = tls();
    try {
      if (tls.enabled()) {
        TlsMaterial.read(tls);
      } else {
        tls.checkCoherent();
      }
    } catch (TlsProblem e) {
      throw new ConfigurationException(label("tls." + e.part().key()) + " " + e.getMessage());
    }
  }

  /** The {@code tls.*} settings, as both listeners take them. */
  public TlsSettings tls() {
    return new TlsSettings(text("tls.cert_file"), text("tls.key_file"), TlsSettings.clientAuth(text("tls.client_auth")),
      text("tls.client_ca_file"), integer("tls.reload_interval_ms"));
  }

  static String label(String key) {
    return KEYS.stream().filter(k -> k.name().equals(key)).findFirst().orElseThrow().label();
  }

  /** The values of every secret setting that is set, for {@code UpstreamText.hide}. */
  public List<String> secrets() {
    return KEYS.stream().filter(k -> k.kind() == SettingKey.Kind.SECRET).map(k -> text(k.name()))
      .filter(v -> !v.isEmpty()).toList();
  }

  /** mcp.allowed_origins, split at commas. */
  public List<String> allowedOrigins() {
    return list("mcp.allowed_origins");
  }

  /** A comma-separated setting, split and trimmed, without empty entries. */
  public List<String> list(String key) {
    return Arrays.stream(text(key).split(",")).map(String::strip).filter(o -> !o.isEmpty()).toList();
  }

  /** A true/false setting. */
  public boolean flag(String key) {
    return "true".equals(text(key));
  }

  public String text(String key) {
    return (String) require(key);
  }

  public int integer(String key) {
    return (Integer) require(key);
  }

  public double decimal(String key) {
    return (Double) require(key);
  }

  private Object require(String key) {
    if (!values.containsKey(key)) {
      throw new IllegalArgumentException("no setting " + key);
    }
    return values.get(key);
  }

  /** The configuration in force, nested as in the file, with secrets masked; for /health and the start-up log. */
  public JsonObject publicView() {
    JsonObject view = new JsonObject();
    for (SettingKey key : KEYS) {
      Object value = values.get(key.name());
      if (value instanceof String text) {
        value = shown(key, text);
      }
      String[] parts = key.name().split("\\.");
      JsonObject node = view;
      for (int i = 0; i < parts.length - 1; i++) {
        if (!node.containsKey(parts[i])) {
          node.put(parts[i], new JsonObject());
        }
        node = node.getJsonObject(parts[i]);
      }
      node.put(parts[parts.length - 1], value);
    }
    return view;
  }

  /** Where each value came from (default file, config file or an environment variable). */
  public Map<String, String> sources() {
    return new TreeMap<>(sources);
  }

  /** For tests: the keys and their environment variables. */
  static List<SettingKey> keys() {
    return KEYS;
  }

  /** Reads a YAML reader; exists so that tests can check the bundled file's keys. */
  static Object yaml(Reader reader) {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
  }
}
