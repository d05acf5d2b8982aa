package dev.memgate.gateway.testing;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The keys of a verticle's configuration, for tests that take them away one at a time. */
public final class ConfigKeys {
  private ConfigKeys() {
  }

  /** Every key, nested ones as {@code limits.max_text_chars}; an object named in {@code whole} counts as one key. */
  public static List<String> keys(JsonObject config, Set<String> whole) {
    List<String> keys = new ArrayList<>();
    collect("", config, whole, keys);
    return keys;
  }

  private static void collect(String prefix, JsonObject config, Set<String> whole, List<String> into) {
    for (String name : config.fieldNames()) {
      Object value = config.getValue(name);
      if (value instanceof JsonObject nested && !whole.contains(name)) {
        into.add(prefix + name);
        collect(prefix + name + ".", nested, whole, into);
      } else {
        into.add(prefix + name);
      }
    }
  }

  /** A copy of {@code config} without the key at {@code path} (dotted). */
  public static JsonObject without(JsonObject config, String path) {
    JsonObject copy = config.copy();
    JsonObject parent = copy;
    String[] parts = path.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      parent = parent.getJsonObject(parts[i]);
    }
    parent.remove(parts[parts.length - 1]);
    return copy;
  }

  /** The message a person would see: the innermost cause's, as Main prints it. */
  public static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }
}
