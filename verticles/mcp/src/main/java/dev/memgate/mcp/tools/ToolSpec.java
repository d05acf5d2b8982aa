package dev.memgate.mcp.tools;

import io.vertx.core.json.JsonObject;

/** What tools/list says about a tool: its name, what it is for, and the JSON schemas of its input and output. */
public record ToolSpec(String name, String title, String description, JsonObject inputSchema,
                       JsonObject outputSchema, ToolAnnotations annotations) {

  public JsonObject toJson() {
    return new JsonObject()
      .put("name", name)
      .put("title", title)
      .put("description", description)
      .put("inputSchema", inputSchema.copy())
      .put("outputSchema", outputSchema.copy())
      .put("annotations", annotations.toJson(title));
  }
}
