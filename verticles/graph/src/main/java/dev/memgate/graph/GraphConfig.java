package dev.memgate.graph;

import dev.memgate.contract.LlmBus;
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
 * @param llmTimeoutMs     how long one LLM call may take as the bus sees it (deadline plus margin); 0 without LLM
 */
public record GraphConfig(String store, String uri, String username, String password, String database,
                          String dataDir, int embeddedPort, double mergeThreshold, double relatedThreshold,
                          int searchLimit, int maxRelated, long llmTimeoutMs, long queryLlmTimeoutMs,
                          long retryMinMs, long retryMaxMs) {

  public static GraphConfig from(JsonObject config) {
    long llmDeadline = config.getLong("llm_deadline_ms", 0L);
    return new GraphConfig(
      config.getString("store", "embedded"),
      config.getString("uri", ""),
      config.getString("username", "neo4j"),
      config.getString("password", ""),
      config.getString("database", ""),
      config.getString("data_dir", "./data"),
      config.getInteger("embedded_port", 0),
      relative(config.getDouble("merge_threshold", 0.8), config.getDouble("similarity_baseline", 0.0)),
      relative(config.getDouble("related_threshold", 0.5), config.getDouble("similarity_baseline", 0.0)),
      config.getInteger("search_limit", 5),
      config.getInteger("max_related", 30),
      llmDeadline > 0 ? llmDeadline + LlmBus.BUS_MARGIN_MS : 0,
      config.getLong("query_llm_timeout_ms", 3_000L),
      config.getLong("retry_min_ms", 500L),
      config.getLong("retry_max_ms", 30_000L));
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
