package dev.memgate.mcp.tools;

import dev.memgate.access.Permission;

import java.util.Map;

/**
 * The permission each tool needs, as the REST API asks it of the same operations: deleting needs delete, adding and
 * updating need write, and everything else (search, list, get, history, graph) reads. A tool not listed here reads:
 * a new tool that writes must say so here.
 */
public final class ToolPermissions {
  private static final Map<String, Permission> NEEDED = Map.of(
    "add_memories", Permission.WRITE,
    "update_memory", Permission.WRITE,
    "delete_memories", Permission.DELETE,
    "delete_all_memories", Permission.DELETE);

  private ToolPermissions() {
  }

  public static Permission of(String tool) {
    return NEEDED.getOrDefault(tool, Permission.READ);
  }
}
