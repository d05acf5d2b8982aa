package dev.memgate.gateway.mcp;

import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.PgvectorStore;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A memory id no store could hold (PostgreSQL refuses a NUL in any text) names no memory: the tools say so, as they
 * do for any unknown id, instead of reporting an internal error. The fuzz suite found the internal error.
 */
class McpUnstorableIdsTest {
  @Test
  void anIdWithANulNamesNoMemory() {
    try (PgvectorStore store = new PgvectorStore(); RunningService service = RunningService.start(store, Map.of())) {
      McpHttp mcp = new McpHttp(service.mcpBase());
      String session = mcp.open();
      for (JsonObject result : new JsonObject[] {
        mcp.tool(session, "get_memory", new JsonObject().put("memory_id", "a\u0000b")),
        mcp.tool(session, "update_memory", new JsonObject().put("memory_id", "a\u0000b").put("text", "new text"))}) {
        assertThat(result.getBoolean("isError")).as(result.encode()).isTrue();
        assertThat(McpHttp.text(result)).as(result.encode()).doesNotContain("Internal error").contains("no memory");
      }
    }
  }
}
