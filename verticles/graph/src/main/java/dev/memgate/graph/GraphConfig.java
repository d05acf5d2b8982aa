package dev.memgate.graph;

import dev.memgate.contract.RequiredConfig;
import io.vertx.core.json.JsonObject;

/**
 * The graph verticle's configuration: which store ({@code embedded} or {@code neo4j}), how to reach it, where the
 * outbox lives, and the tuning of merges, contradictions and search. Secrets stay in here; {@link #publicUri()} is
 * what may be shown.
 *
 * @param mergeThreshold   cosine similarity of two entity names above which they are the same entity
 * @param relatedThreshold cosine similarity of two relations (as text) above which the older one is shown to the
 *                         model as possibly contradicted, besides those with the same name between the same entities
 *
 * <p>Both thresholds are configured relative to the embedding model's similarity baseline b (its cosine between
 * unrelated texts): a configured t is compared with raw cosines as {@code b + t (1 - b)}. Without that, 0.9 means
 * "nearly the same" with all-MiniLM (b ≈ 0.1) and merely "both are city names" with e5-small (b ≈ 0.85), which
 * merged Lisbon into Porto.
 * @param llmTimeoutMs     how long one LLM call may take as the bus sees it (the composition root adds a margin to
 *                         the provider's deadline); 0 without LLM
 */
public record GraphConfig(String store, String uri, String username, String password, String database,
                          String dataDir, int embeddedPort, double mergeThreshold, double relatedThreshold,
                          int searchLimit, int maxRelated, long llmTimeoutMs, long queryLlmTimeoutMs,
                          long retryMinMs, long retryMaxMs) {

  /** Memories shown to the model as possibly contradicted, at most, per add: not a setting. */
  static final int MAX_RELATED = 30;
  /** How long a search waits for the LLM to name the query's entities before it does without: not a setting. */
  static final long QUERY_LLM_TIMEOUT_MS = 3_000;
  /** First and longest pause between two attempts to apply the outbox to a store that is away: not settings. */
  static final long RETRY_MIN_MS = 500;
  static final long RETRY_MAX_MS = 30_000;

  /**
   * Reads the configuration the composition root hands over: every key is required, except {@code llm_timeout_ms},
   * which is absent when no LLM is configured (the graph then only answers searches).
   */
  public static GraphConfig from(JsonObject json) {
    RequiredConfig config = RequiredConfig.of("graph verticle", json);
    double baseline = config.decimal("similarity_baseline");
    return new GraphConfig(
      config.text("store"),
      config.text("uri"),
      config.text("username"),
      config.text("password"),
      config.text("database"),
      config.text("data_dir"),
      config.integer("embedded_port"),
      relative(config.decimal("merge_threshold"), baseline),
      relative(config.decimal("related_threshold"), baseline),
      config.integer("search_limit"),
      MAX_RELATED,
      config.optionalLongInteger("llm_timeout_ms").orElse(0L),
      QUERY_LLM_TIMEOUT_MS,
      RETRY_MIN_MS,
      RETRY_MAX_MS);
  }

  /** A threshold stated relative to the model's baseline, as a raw cosine. */
  static double relative(double threshold, double baseline) {
    return baseline + threshold * (1 - baseline);
  }

  public boolean llmEnabled() {
    return llmTimeoutMs > 0;
  }

  public boolean embedded() {
    return "embedded".equals(store);
  }

  /** The URI without user information, for logs and /health. */
  public String publicUri() {
    return uri.replaceAll("(://)[^@/]*@", "$1");
  }
}
