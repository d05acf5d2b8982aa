package dev.memgate.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI contract inside the jar, read once per process straight from the class path: its text (served at
 * {@code /openapi.yaml}) and its JSON form (what the router is built from). Not through Vert.x's file system: to
 * find a class-path file, its resolver unpacks the file's directory by walking every entry of the jar, twice per
 * lookup, which cost most of a second of the start for each REST instance. The MCP tools' memory item is read from
 * the same parsed contract ({@code ContractSchemas}). The JSON form is shared: callers copy before changing it.
 */
public record ContractResource(Buffer text, JsonObject json) {
  private static volatile ContractResource loaded;

  /** Blocking (a small read from the jar, once): call it from a worker. */
  public static ContractResource load(String resource) {
    ContractResource contract = loaded;
    if (contract == null) {
      try (InputStream in = ContractResource.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("the contract " + resource + " is not on the class path");
        }
        byte[] bytes = in.readAllBytes();
        Object yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(bytes,
          java.nio.charset.StandardCharsets.UTF_8));
        contract = new ContractResource(Buffer.buffer(bytes), (JsonObject) json(yaml));
        loaded = contract;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return contract;
  }

  /** YAML's values as JSON's: keys as strings (a status code may be a number in YAML), dates as ISO text. */
  private static Object json(Object yaml) {
    if (yaml instanceof Map<?, ?> map) {
      Map<String, Object> object = new LinkedHashMap<>();
      map.forEach((key, value) -> object.put(String.valueOf(key), json(value)));
      return new JsonObject(object);
    }
    if (yaml instanceof List<?> list) {
      List<Object> array = new ArrayList<>(list.size());
      list.forEach(value -> array.add(json(value)));
      return new JsonArray(array);
    }
    if (yaml instanceof Date date) {
      return date.toInstant().toString();
    }
    return yaml;
  }
}
