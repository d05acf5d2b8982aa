package dev.memgate.embedding.onnx;

import java.util.Objects;
import java.util.Optional;

/**
 * A sentence-embedding model Memgate can run in process: its files (an ONNX graph and a Hugging Face tokenizer,
 * resources on the class path, never downloaded at run time) and how to use it. The runtime carries one model,
 * {@link #DEFAULT}; the others are add-ons (a jar each, found through {@link OnnxModelPack}), so that a
 * distribution pays only for the model it runs. {@link OnnxModels} lists what is installed.
 *
 * @param id                the name configured as {@code embedder.model}, and recorded by stores
 * @param modelResource     the ONNX graph's resource name
 * @param tokenizerResource the tokenizer's resource name ({@code tokenizer.json} format)
 * @param dimension         the vector size
 * @param pooling           how token vectors become one sentence vector
 * @param maxTokens         longer texts are truncated to this many tokens
 * @param queryPrefix       an instruction before queries (asymmetric models), or empty
 * @param documentPrefix    a marker before stored texts (models trained with one), or empty
 */
public record OnnxModel(String id, String modelResource, String tokenizerResource, int dimension, Pooling pooling,
                        int maxTokens, String queryPrefix, String documentPrefix) {

  public enum Pooling { MEAN, CLS }

  /**
   * The model of the runtime, used when none is configured: intfloat/e5-small-v2, int8-quantised, mean pooling,
   * trained with "query: " and "passage: " before texts. It ranked LoCoMo's evidence best of the three Memgate has
   * run, alone and in hybrid search, and embeds a query faster than MiniLM (int8 weights); see the README's retrieval
   * section.
   */
  public static final OnnxModel DEFAULT = new OnnxModel("e5-small-v2-q", "e5-small-v2-q.onnx",
    "e5-small-v2-q-tokenizer.json", 384, Pooling.MEAN, 512, "query: ", "passage: ");

  public OnnxModel {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(modelResource, "modelResource");
    Objects.requireNonNull(tokenizerResource, "tokenizerResource");
    Objects.requireNonNull(pooling, "pooling");
    Objects.requireNonNull(queryPrefix, "queryPrefix");
    Objects.requireNonNull(documentPrefix, "documentPrefix");
    if (dimension <= 0 || maxTokens <= 0) {
      throw new IllegalArgumentException("model " + id + ": dimension and maxTokens must be positive");
    }
  }

  /** The installed model named {@code id} (case-insensitive), if any; see {@link OnnxModels}. */
  public static Optional<OnnxModel> byId(String id) {
    return OnnxModels.installed().byId(id);
  }

  /** The installed models' ids, for messages. */
  public static String knownIds() {
    return OnnxModels.installed().ids();
  }
}
