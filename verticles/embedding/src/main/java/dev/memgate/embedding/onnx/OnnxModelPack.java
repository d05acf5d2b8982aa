package dev.memgate.embedding.onnx;

/**
 * What an embedding-model add-on provides, found through {@link java.util.ServiceLoader}: an add-on jar holds the
 * model's files, one class implementing this, and {@code META-INF/services/dev.memgate.embedding.onnx.OnnxModelPack}
 * naming it. The runtime's own model, {@link OnnxModel#DEFAULT}, is built in.
 */
public interface OnnxModelPack {
  OnnxModel model();
}
