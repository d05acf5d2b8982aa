package dev.memgate.gateway.mcp;

import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.PackagedJar;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.StdioProcess;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The packaged jar started with {@code --stdio}, as Claude Desktop starts it: stdout carries JSON-RPC and nothing
 * else, the official Java SDK client works over it, no port opens, stdin closing ends the process, and a second
 * instance on the same data directory says why it cannot start instead of hanging.
 */
class McpStdioIT {
  private Path dataDir;

  @BeforeEach
  void createDataDir() throws IOException {
    dataDir = Files.createTempDirectory("memgate-stdio-it-");
  }

  @AfterEach
  void deleteDataDir() {
    RunningService.deleteTree(dataDir);
  }

  private static JsonObject initialize(int id) {
    return McpHttp.request(id, "initialize", McpHttp.initializeParams("2025-11-25"));
  }

  @Test
  void theOfficialJavaSdkClientWorksOverStdio() {
    List<String> command = PackagedJar.stdioCommand();
    ServerParameters server = ServerParameters.builder(command.get(0))
      .args(command.subList(1, command.size()))
      .env(Map.of("MEMGATE_DATA_DIR", dataDir.toString()))
      .build();
    try (McpSyncClient client = JavaSdkScenario.client(new StdioClientTransport(server, McpJsonDefaults.getMapper()),
      "stdio-java-user")) {
      String version = JavaSdkScenario.run(client, "stdio-java-user", "I am learning to play the theremin",
        "what instrument am I learning?");
      assertThat(version).isEqualTo("2025-11-25");
    }
  }

  @Test
  void stdoutCarriesOnlyJsonRpcAndLogsGoToStderr() {
    try (StdioProcess memgate = StdioProcess.start(dataDir, Map.of("MEMGATE_MCP_MAX_MESSAGE_BYTES", "4096",
      "MEMGATE_DEFAULT_USER", "stdio-user"))) {
      memgate.send(initialize(1).encode());
      memgate.send(new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized").encode());
      memgate.send(McpHttp.request(2, "tools/call", new JsonObject().put("name", "add_memories")
        .put("arguments", new JsonObject().put("text", "My cat is called Miso"))).encode());
      memgate.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\",\"params\":{\"pad\":\"" + "p".repeat(5000)
        + "\"}}");
      memgate.send("this is not json");
      memgate.send(McpHttp.request(4, "tools/list", null).encode());
      memgate.closeStdin();

      List<JsonObject> replies = new ArrayList<>();
      for (String line = memgate.nextLine(); line != null; line = memgate.nextLine()) {
        JsonObject message = new JsonObject(line);
        assertThat(message.getString("jsonrpc")).as(line).isEqualTo("2.0");
        replies.add(message);
      }
      assertThat(memgate.exitCode()).isZero();

      assertThat(replies).hasSize(5);
      assertThat(replies).filteredOn(r -> Integer.valueOf(1).equals(r.getValue("id")))
        .singleElement().satisfies(r -> assertThat(r.getJsonObject("result").getString("protocolVersion"))
          .isEqualTo("2025-11-25"));
      assertThat(replies).filteredOn(r -> Integer.valueOf(2).equals(r.getValue("id")))
        .singleElement().satisfies(r -> assertThat(r.getJsonObject("result").getBoolean("isError", false)).isFalse());
      assertThat(replies).filteredOn(r -> r.getValue("id") == null)
        .extracting(r -> r.getJsonObject("error").getInteger("code"))
        .containsExactlyInAnyOrder(-32600, -32700);
      assertThat(replies).filteredOn(r -> r.getValue("id") == null && r.getJsonObject("error").getInteger("code")
        == -32600).singleElement().satisfies(r -> assertThat(r.getJsonObject("error").getString("message"))
        .contains("4096"));
      assertThat(replies).filteredOn(r -> Integer.valueOf(4).equals(r.getValue("id"))).hasSize(1);
      assertThat(memgate.stderr()).contains("lucene store open").contains("MCP on stdio");
    }
  }

  @Test
  void noPortOpensInStdioMode() throws IOException {
    int restPort = freePort();
    int mcpPort = freePort();
    try (StdioProcess memgate = StdioProcess.start(dataDir, Map.of("MEMGATE_HTTP_PORT", String.valueOf(restPort),
      "MEMGATE_MCP_PORT", String.valueOf(mcpPort)))) {
      assertThat(memgate.call(initialize(1)).containsKey("result")).isTrue();
      for (int port : new int[] {restPort, mcpPort}) {
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 2_000))
          .as("port %d", port).isInstanceOf(ConnectException.class);
      }
    }
  }

  @Test
  void aSecondInstanceOnTheSameDataDirectoryExplainsWhyItCannotStart() {
    try (StdioProcess first = StdioProcess.start(dataDir, Map.of())) {
      assertThat(first.call(initialize(1)).containsKey("result")).isTrue();
      try (StdioProcess second = StdioProcess.start(dataDir, Map.of())) {
        // Sent at once, as a desktop app does: the answer has to come although the service never starts.
        second.send(initialize(1).encode());
        JsonObject refusal = new JsonObject(second.nextLine());
        assertThat(refusal.getValue("id")).isEqualTo(1);
        assertThat(refusal.getJsonObject("error").getString("message"))
          .startsWith("Memgate failed to start").contains("in use by another Memgate process");
        assertThat(second.exitCode()).isEqualTo(1);
        assertThat(second.stderr()).contains("failed to start");
      }
      assertThat(first.call(McpHttp.request(2, "ping", null)).getJsonObject("result")).isEqualTo(new JsonObject());
      first.closeStdin();
      assertThat(first.exitCode()).isZero();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
