package dev.memgate.mcp.tools;

import io.vertx.core.json.JsonObject;

/**
 * MCP's behaviour hints, stated honestly: clients use them to decide what needs the user's confirmation. Every tool
 * here works on Memgate's own store, so none is open-world.
 */
public record ToolAnnotations(boolean readOnly, boolean destructive, boolean idempotent) {

  public static final ToolAnnotations READ_ONLY = new ToolAnnotations(true, false, true);

  public static ToolAnnotations write(boolean destructive, boolean idempotent) {
    return new ToolAnnotations(false, destructive, idempotent);
  }

  JsonObject toJson(String title) {
    JsonObject json = new JsonObject().put("title", title).put("readOnlyHint", readOnly);
    if (!readOnly) {
      // The spec gives destructive and idempotent meaning only for tools that write.
      json.put("destructiveHint", destructive).put("idempotentHint", idempotent);
    }
    return json.put("openWorldHint", false);
  }
}
