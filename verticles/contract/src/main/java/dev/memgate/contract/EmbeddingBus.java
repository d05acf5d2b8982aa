package dev.memgate.contract;

/** The embedding service: texts in, unit-length vectors out, in order. */
public final class EmbeddingBus {
  /**
   * {texts:[string], purpose:"document"|"query"} → {vectors:[[float]], model, dimension, search_baseline}. While the
   * model is still loading, the request waits for it.
   */
  public static final String EMBED = "memgate.embedding.embed";
  /** {} → {status, provider, model, dimension, ...}; status STARTING while the model loads. */
  public static final String HEALTH = "memgate.embedding.health";
  /** {} → the same as HEALTH, answered once the model has loaded (its baselines measured); fails if it could not. */
  public static final String READY = "memgate.embedding.ready";

  public static final String TEXTS = "texts";
  public static final String PURPOSE = "purpose";
  public static final String PURPOSE_DOCUMENT = "document";
  public static final String PURPOSE_QUERY = "query";
  public static final String VECTORS = "vectors";
  public static final String MODEL = "model";
  public static final String DIMENSION = "dimension";
  /**
   * In HEALTH: the model's mean cosine between unrelated words (0 when unknown). Thresholds on the similarity of
   * names are stated relative to it, so that they mean the same with every model.
   */
  public static final String SIMILARITY_BASELINE = "similarity_baseline";
  /**
   * In HEALTH and in every EMBED reply: the model's mean cosine between a question (embedded as a query) and an
   * unrelated memory (0 when unknown). Search scores and thresholds are stated relative to it.
   */
  public static final String SEARCH_BASELINE = "search_baseline";

  public static final long TIMEOUT_MS = 30_000;
  /** How long the composition root waits for the model to load before it gives the start up. */
  public static final long READY_TIMEOUT_MS = 300_000;

  private EmbeddingBus() {
  }
}
