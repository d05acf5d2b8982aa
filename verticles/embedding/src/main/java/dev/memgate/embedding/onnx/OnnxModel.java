package dev.memgate.embedding.onnx;

import java.util.Arrays;
import java.util.Optional;

/**
 * The sentence-embedding models that ship inside Memgate's jar (as Maven artifacts, never downloaded at run time).
 */
public enum OnnxModel {
  /** sentence-transformers/all-MiniLM-L6-v2: symmetric, mean pooling, 6 layers (fast). */
  ALL_MINILM_L6_V2("all-minilm-l6-v2", "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", 384,
    Pooling.MEAN, 256, "", ""),
  /**
   * BAAI/bge-small-en-v1.5, int8-quantised: CLS pooling, and an instruction before queries (not before passages),
   * as its model card prescribes for retrieval.
   */
  BGE_SMALL_EN_V15_Q("bge-small-en-v1.5-q", "bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json", 384,
    Pooling.CLS, 512, "Represent this sentence for searching relevant passages: ", ""),
  /** intfloat/e5-small-v2, int8-quantised: mean pooling, trained with "query: " and "passage: " before texts. */
  E5_SMALL_V2_Q("e5-small-v2-q", "e5-small-v2-q.onnx", "e5-small-v2-q-tokenizer.json", 384, Pooling.MEAN, 512,
    "query: ", "passage: ");

  /**
   * The model used when none is configured: e5-small-v2 ranked LoCoMo's evidence best of the three, alone and in
   * hybrid search, and embeds a query faster than MiniLM (int8 weights); see the README's retrieval section.
   */
  public static final OnnxModel DEFAULT = E5_SMALL_V2_Q;

  public enum Pooling { MEAN, CLS }

  private final String id;
  private final String modelResource;
  private final String tokenizerResource;
  private final int dimension;
  private final Pooling pooling;
  private final int maxTokens;
  private final String queryPrefix;
  private final String documentPrefix;

  OnnxModel(String id, String modelResource, String tokenizerResource, int dimension, Pooling pooling,
            int maxTokens, String queryPrefix, String documentPrefix) {
    this.id = id;
    this.modelResource = modelResource;
    this.tokenizerResource = tokenizerResource;
    this.dimension = dimension;
    this.pooling = pooling;
    this.maxTokens = maxTokens;
    this.queryPrefix = queryPrefix;
    this.documentPrefix = documentPrefix;
  }

  public String id() {
    return id;
  }

  String modelResource() {
    return modelResource;
  }

  String tokenizerResource() {
    return tokenizerResource;
  }

  public int dimension() {
    return dimension;
  }

  Pooling pooling() {
    return pooling;
  }

  int maxTokens() {
    return maxTokens;
  }

  /** Asymmetric models want an instruction before queries; symmetric ones have none. */
  String queryPrefix() {
    return queryPrefix;
  }

  /** What goes before a stored text; only models trained with a passage marker have one. */
  String documentPrefix() {
    return documentPrefix;
  }

  public static Optional<OnnxModel> byId(String id) {
    return Arrays.stream(values()).filter(m -> m.id.equalsIgnoreCase(id)).findFirst();
  }

  public static String knownIds() {
    return String.join(", ", Arrays.stream(values()).map(OnnxModel::id).toList());
  }
}
