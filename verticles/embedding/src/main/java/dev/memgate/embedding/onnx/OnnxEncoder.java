package dev.memgate.embedding.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A BERT-style sentence encoder run with ONNX Runtime, a whole batch per model call (padded to its longest text),
 * with mean or CLS pooling. Blocking: call it from one dedicated thread.
 */
final class OnnxEncoder implements AutoCloseable {
  private final OnnxModel model;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final boolean wantsTokenTypes;

  OnnxEncoder(OnnxModel model, int threads) throws IOException, OrtException {
    this.model = model;
    this.environment = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(threads);
    // Idle ONNX threads spin by default, which on a machine shared with anything else only steals the cores the
    // next query needs: without it a search's query embedding took 6 ms instead of 16 (p50) and 8-9 ms instead of
    // 33-40 (p95) on a busy 2-core machine, at the same batch throughput.
    options.addConfigEntry("session.intra_op.allow_spinning", "0");
    options.setInterOpNumThreads(1);
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    // Memory patterns pre-plan (and keep) one set of buffers per input shape seen, and every batch is a new shape
    // (its longest text decides): off, the arena serves each run, with no loss of speed (measured by
    // `memgate bench --footprint` and `memgate bench`).
    options.setMemoryPatternOptimization(false);
    this.session = environment.createSession(readResource(model.modelResource()), options);
    Set<String> inputs = session.getInputNames();
    this.wantsTokenTypes = inputs.contains("token_type_ids");
    Map<String, String> tokenizerOptions = Map.of(
      "padding", "true",
      "truncation", "true",
      "maxLength", String.valueOf(model.maxTokens()));
    try (InputStream in = resource(model.tokenizerResource())) {
      this.tokenizer = HuggingFaceTokenizer.newInstance(in, tokenizerOptions);
    }
  }

  List<float[]> encode(List<String> texts, boolean query) throws OrtException {
    String prefix = query ? model.queryPrefix() : model.documentPrefix();
    List<String> input = prefix.isEmpty() ? texts : texts.stream().map(t -> prefix + t).toList();
    Encoding[] encodings = tokenizer.batchEncode(input);
    int batch = encodings.length;
    int length = encodings[0].getIds().length;
    long[][] ids = new long[batch][];
    long[][] mask = new long[batch][];
    long[][] types = new long[batch][];
    for (int i = 0; i < batch; i++) {
      ids[i] = encodings[i].getIds();
      mask[i] = encodings[i].getAttentionMask();
      types[i] = encodings[i].getTypeIds();
    }
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      feed.put("input_ids", OnnxTensor.createTensor(environment, ids));
      feed.put("attention_mask", OnnxTensor.createTensor(environment, mask));
      if (wantsTokenTypes) {
        feed.put("token_type_ids", OnnxTensor.createTensor(environment, types));
      }
      try (OrtSession.Result result = session.run(feed)) {
        float[][][] hidden = (float[][][]) result.get(0).getValue();
        List<float[]> vectors = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
          vectors.add(pool(hidden[i], mask[i], length));
        }
        return vectors;
      }
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  private float[] pool(float[][] tokens, long[] mask, int length) {
    int dims = tokens[0].length;
    float[] pooled = new float[dims];
    if (model.pooling() == OnnxModel.Pooling.CLS) {
      System.arraycopy(tokens[0], 0, pooled, 0, dims);
      return pooled;
    }
    int counted = 0;
    for (int t = 0; t < length; t++) {
      if (mask[t] == 0) {
        continue;
      }
      counted++;
      float[] token = tokens[t];
      for (int d = 0; d < dims; d++) {
        pooled[d] += token[d];
      }
    }
    if (counted > 0) {
      for (int d = 0; d < dims; d++) {
        pooled[d] /= counted;
      }
    }
    return pooled;
  }

  private static byte[] readResource(String name) throws IOException {
    try (InputStream in = resource(name)) {
      return in.readAllBytes();
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = OnnxEncoder.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException("model file " + name + " is not on the class path");
    }
    return in;
  }

  @Override
  public void close() throws OrtException {
    session.close();
    tokenizer.close();
  }
}
