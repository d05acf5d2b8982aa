package dev.memgate.gateway.config;

import dev.memgate.gateway.http.ContractResource;
import dev.memgate.gateway.http.HttpVerticle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The schemas of the OpenAPI contract ({@code openapi/memgate.yaml}, bundled in the jar), for the parts of the
 * service that describe the same shapes without being built from the contract: the MCP tools' output schemas take
 * the contract's {@code Memory} from here, so that REST and MCP describe one memory item.
 *
 * <p>OpenAPI 3.1 schemas are JSON Schema 2020-12 (MCP's default dialect), so a schema is handed over as it is,
 * with its local references ({@code $ref: '#/components/schemas/...'}) replaced by what they name: a schema taken
 * out of the contract must stand on its own.
 */
public final class ContractSchemas {
  private static final String SCHEMAS = "#/components/schemas/";

  private final JsonObject schemas;

  private ContractSchemas(JsonObject schemas) {
    this.schemas = schemas;
  }

  /**
   * The contract bundled in the jar, as the REST API serves and validates with it (one parse per process, shared
   * with the REST listener). Blocking the first time: call it from a worker.
   */
  public static ContractSchemas bundled() {
    JsonObject components = ContractResource.load(HttpVerticle.CONTRACT).json()
      .getJsonObject("components", new JsonObject());
    return new ContractSchemas(components.getJsonObject("schemas", new JsonObject()));
  }

  /** The schema {@code name} of {@code components.schemas}, its references resolved; a fresh copy. */
  public JsonObject schema(String name) {
    return (JsonObject) resolved(named(name), new ArrayDeque<>(List.of(name)));
  }

  private JsonObject named(String name) {
    JsonObject schema = schemas.getJsonObject(name);
    if (schema == null) {
      throw new IllegalStateException(HttpVerticle.CONTRACT + " has no schema " + name);
    }
    return schema;
  }

  private Object resolved(Object node, Deque<String> path) {
    if (node instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(item -> copy.add(resolved(item, path)));
      return copy;
    }
    if (!(node instanceof JsonObject object)) {
      return node;
    }
    if (object.getValue("$ref") instanceof String ref) {
      if (!ref.startsWith(SCHEMAS)) {
        throw new IllegalStateException(HttpVerticle.CONTRACT + ": only local schema references are supported, not "
          + ref);
      }
      String target = ref.substring(SCHEMAS.length());
      if (path.contains(target)) {
        throw new IllegalStateException(HttpVerticle.CONTRACT + ": schema " + target + " refers to itself; it "
          + "cannot be inlined");
      }
      path.push(target);
      JsonObject inlined = (JsonObject) resolved(named(target), path);
      path.pop();
      // Keywords beside a $ref (a description) apply too, as in JSON Schema 2020-12.
      object.forEach(entry -> {
        if (!entry.getKey().equals("$ref")) {
          inlined.put(entry.getKey(), resolved(entry.getValue(), path));
        }
      });
      return inlined;
    }
    JsonObject copy = new JsonObject();
    object.forEach(entry -> copy.put(entry.getKey(), resolved(entry.getValue(), path)));
    return copy;
  }
}
