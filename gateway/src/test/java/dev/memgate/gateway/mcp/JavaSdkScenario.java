package dev.memgate.gateway.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an assistant built on the official MCP Java SDK does with Memgate, on any transport: connect, list the
 * tools, remember, find, be corrected for a bad argument, forget, and check the memory is gone. The SDK itself
 * checks every structured result against the tool's output schema.
 */
final class JavaSdkScenario {
  private JavaSdkScenario() {
  }

  /** A client that names its user in initialize, as the SDK allows: an experimental capability. */
  static McpSyncClient client(McpClientTransport transport, String user) {
    McpSchema.ClientCapabilities.Builder capabilities = McpSchema.ClientCapabilities.builder();
    if (user != null) {
      capabilities.experimental(Map.of("memgate", Map.of("user_id", user)));
    }
    return McpClient.sync(transport)
      .clientInfo(McpSchema.Implementation.builder("memgate-java-sdk-test", "1.0.0").build())
      .capabilities(capabilities.build())
      .requestTimeout(Duration.ofSeconds(60))
      .initializationTimeout(Duration.ofSeconds(120))
      .build();
  }

  /** Runs the whole scenario; returns the negotiated protocol revision. */
  @SuppressWarnings("unchecked")
  static String run(McpSyncClient client, String expectedUser, String fact, String question) {
    McpSchema.InitializeResult init = client.initialize();
    assertThat(init.serverInfo().name()).isEqualTo("memgate");
    assertThat(client.getServerInstructions()).contains("search_memory");

    List<McpSchema.Tool> tools = new ArrayList<>();
    String cursor = null;
    do {
      McpSchema.ListToolsResult page = client.listTools(cursor);
      tools.addAll(page.tools());
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(tools).extracting(McpSchema.Tool::name).contains("add_memories", "search_memory", "list_memories",
      "delete_memories", "delete_all_memories");
    McpSchema.Tool search = tools.stream().filter(t -> t.name().equals("search_memory")).findFirst().orElseThrow();
    assertThat(search.annotations().readOnlyHint()).isTrue();

    McpSchema.CallToolResult added = client.callTool(McpSchema.CallToolRequest.builder("add_memories")
      .arguments(Map.of("text", fact)).build());
    assertThat(added.isError()).as(added.toString()).isNotEqualTo(Boolean.TRUE);
    Map<String, Object> addResult = (Map<String, Object>) added.structuredContent();
    String id = (String) ((List<Map<String, Object>>) addResult.get("results")).get(0).get("id");

    McpSchema.CallToolResult found = client.callTool(McpSchema.CallToolRequest.builder("search_memory")
      .arguments(Map.of("query", question, "limit", 3)).build());
    List<Map<String, Object>> hits = (List<Map<String, Object>>) ((Map<String, Object>) found.structuredContent())
      .get("results");
    assertThat(hits).isNotEmpty();
    assertThat(hits.get(0).get("id")).isEqualTo(id);
    assertThat(hits).allSatisfy(hit -> assertThat(hit.get("user_id")).isEqualTo(expectedUser));
    assertThat(((McpSchema.TextContent) found.content().get(0)).text()).contains(id);

    McpSchema.CallToolResult bad = client.callTool(McpSchema.CallToolRequest.builder("delete_memories")
      .arguments(Map.of("memory_ids", id)).build());
    assertThat(bad.isError()).isTrue();
    assertThat(((McpSchema.TextContent) bad.content().get(0)).text()).contains("memory_ids must be an array");

    McpSchema.CallToolResult deleted = client.callTool(McpSchema.CallToolRequest.builder("delete_memories")
      .arguments(Map.of("memory_ids", List.of(id))).build());
    assertThat(deleted.isError()).isNotEqualTo(Boolean.TRUE);

    McpSchema.CallToolResult after = client.callTool(McpSchema.CallToolRequest.builder("search_memory")
      .arguments(Map.of("query", question)).build());
    List<Map<String, Object>> left = (List<Map<String, Object>>) ((Map<String, Object>) after.structuredContent())
      .get("results");
    assertThat(left).extracting(hit -> hit.get("id")).doesNotContain(id);

    McpSchema.ReadResourceResult resource = client.readResource(McpSchema.ReadResourceRequest.builder(
      "memgate://memories").build());
    assertThat(((McpSchema.TextResourceContents) resource.contents().get(0)).mimeType())
      .isEqualTo("application/json");
    client.ping();
    return init.protocolVersion();
  }
}
