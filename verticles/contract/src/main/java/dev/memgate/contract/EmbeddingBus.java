package dev.memgate.contract;

/** The embedding service: texts in, unit-length vectors out, in order. */
public final class EmbeddingBus {
  /** {texts:[string], purpose:"document"|"query"} → {vectors:[[float]], model, dimension}. */
  public static final String EMBED = "memgate.embedding.embed";
  /** {} → {status, provider, model, dimension, ...}. */
  public static final String HEALTH = "memgate.embedding.health";

  public static final String TEXTS = "texts";
  public static final String PURPOSE = "purpose";
  public static final String PURPOSE_DOCUMENT = "document";
  public static final String PURPOSE_QUERY = "query";
  public static final String VECTORS = "vectors";
  public static final String MODEL = "model";
  public static final String DIMENSION = "dimension";
  /**
   * In HEALTH: the model's mean cosine between unrelated texts (0 when unknown). Thresholds on similarity are
   * stated relative to it, so that they mean the same with every model.
   */
  public static final String SIMILARITY_BASELINE = "similarity_baseline";

  public static final long TIMEOUT_MS = 30_000;

  private EmbeddingBus() {
  }
}
