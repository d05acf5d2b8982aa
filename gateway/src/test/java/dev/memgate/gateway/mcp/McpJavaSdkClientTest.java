package dev.memgate.gateway.mcp;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.RunningService;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official MCP Java SDK client ({@code io.modelcontextprotocol.sdk:mcp}) against the real service over
 * Streamable HTTP and the legacy SSE transport, including OpenMemory's path. stdio is in {@code McpStdioIT}, which
 * runs the packaged jar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The SDK deprecates its SSE client with the transport itself; old clients still use it, so it is tested.
@SuppressWarnings("deprecation")
class McpJavaSdkClientTest {
  private RunningService service;

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore());
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void streamableHttpWithTheUserInInitialize() {
    var transport = HttpClientStreamableHttpTransport.builder(service.mcpBase()).endpoint("/mcp").build();
    try (McpSyncClient client = JavaSdkScenario.client(transport, "java-http-user")) {
      String version = JavaSdkScenario.run(client, "java-http-user", "I play the cello in a quartet",
        "which instrument do I play?");
      assertThat(version).isEqualTo("2025-11-25");
    }
  }

  @Test
  void streamableHttpWithTheUserInAHeader() {
    var transport = HttpClientStreamableHttpTransport.builder(service.mcpBase()).endpoint("/mcp")
      .requestBuilder(HttpRequest.newBuilder().header("X-Memgate-User", "java-header-user")).build();
    try (McpSyncClient client = JavaSdkScenario.client(transport, null)) {
      JavaSdkScenario.run(client, "java-header-user", "My daughter is called Ines", "what is my child's name?");
    }
  }

  @Test
  void legacySse() {
    var transport = HttpClientSseClientTransport.builder(service.mcpBase()).sseEndpoint("/sse").build();
    try (McpSyncClient client = JavaSdkScenario.client(transport, "java-sse-user")) {
      String version = JavaSdkScenario.run(client, "java-sse-user", "I am allergic to peanuts",
        "do I have any food allergies?");
      assertThat(version).isEqualTo("2024-11-05");
    }
  }

  @Test
  void openMemorySsePathNamesTheUser() {
    var transport = HttpClientSseClientTransport.builder(service.mcpBase())
      .sseEndpoint("/mcp/java-sdk/sse/openmemory-user").build();
    try (McpSyncClient client = JavaSdkScenario.client(transport, null)) {
      JavaSdkScenario.run(client, "openmemory-user", "I commute by bicycle every day", "how do I get to work?");
    }
  }
}
