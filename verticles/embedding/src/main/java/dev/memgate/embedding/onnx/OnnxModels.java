package dev.memgate.embedding.onnx;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The ONNX models this installation has: the runtime's default and those of the add-on jars on the class path
 * (beside the runtime jar in {@code addons/}, which its manifest names). Also knows the add-ons Memgate publishes,
 * so that a configuration naming a model whose add-on is absent stops with one line saying which jar it needs.
 */
public final class OnnxModels {
  /** The embedding-model add-ons this project builds: model id → add-on (jar and module) name. */
  private static final Map<String, String> PUBLISHED_ADD_ONS = Map.of(
    "all-minilm-l6-v2", "memgate-model-all-minilm-l6-v2",
    "bge-small-en-v1.5-q", "memgate-model-bge-small-en-v15-q");

  private static volatile OnnxModels installed;

  private final Map<String, OnnxModel> byId;

  private OnnxModels(Map<String, OnnxModel> byId) {
    this.byId = byId;
  }

  /** The models found on the class path, looked up once per process. */
  public static OnnxModels installed() {
    OnnxModels found = installed;
    if (found == null) {
      Map<String, OnnxModel> models = new LinkedHashMap<>();
      models.put(key(OnnxModel.DEFAULT.id()), OnnxModel.DEFAULT);
      for (OnnxModelPack pack : ServiceLoader.load(OnnxModelPack.class, OnnxModels.class.getClassLoader())) {
        OnnxModel model = pack.model();
        models.putIfAbsent(key(model.id()), model);
      }
      found = new OnnxModels(Map.copyOf(models));
      installed = found;
    }
    return found;
  }

  public Optional<OnnxModel> byId(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(byId.get(key(id)));
  }

  public String ids() {
    return String.join(", ", byId.values().stream().map(OnnxModel::id).sorted().toList());
  }

  /**
   * The installed model named {@code id}, or a failure whose one line says what to do: install the add-on that
   * holds it, or pick one of the installed models.
   */
  public OnnxModel require(String id) {
    return byId(id).orElseThrow(() -> {
      String addOn = PUBLISHED_ADD_ONS.get(key(id));
      if (addOn != null) {
        return new IllegalArgumentException("embedder.model: " + id + " is an add-on that this installation lacks: "
          + "put " + addOn + ".jar in the addons/ folder beside memgate.jar (gateway/bin/memgate build makes it in "
          + "gateway/target/addons/), or use one of: " + ids());
      }
      return new IllegalArgumentException("embedder.model: unknown ONNX model " + id + " (installed: " + ids()
        + "; add-ons: " + String.join(", ", PUBLISHED_ADD_ONS.keySet().stream().sorted().toList()) + ")");
    });
  }

  /** The published add-ons' model ids, installed or not. */
  public static List<String> publishedAddOns() {
    return PUBLISHED_ADD_ONS.keySet().stream().sorted().toList();
  }

  private static String key(String id) {
    return id.toLowerCase(Locale.ROOT);
  }
}
