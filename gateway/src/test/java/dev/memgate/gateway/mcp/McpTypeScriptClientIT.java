package dev.memgate.gateway.mcp;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.PackagedJar;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.TestIssuer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official MCP TypeScript SDK client ({@code @modelcontextprotocol/sdk}, pinned in gateway/src/test/node) against
 * all four transports: Streamable HTTP, legacy SSE and WebSocket on the in-process service, and stdio on the
 * packaged jar. Each run initializes, lists every tool page, adds a memory, finds it with search, is told off for a
 * bad argument, deletes the memory and checks it is gone; client.mjs reports each step as one JSON line. Over
 * Streamable HTTP it also connects with an access token of a test authorization server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpTypeScriptClientIT {
  private Path nodeDir;
  private RunningService service;

  @BeforeAll
  void installClientAndStartService() throws Exception {
    nodeDir = Path.of(System.getProperty("memgate.node.dir", "src/test/node"));
    Process setup = new ProcessBuilder("bash", System.getProperty("memgate.setup.script", "bin/setup-mcp-clients"))
      .redirectErrorStream(true).start();
    String output = new String(setup.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(setup.waitFor()).as("setup-mcp-clients said:\n%s", output).isZero();
    service = RunningService.start(new LuceneStore());
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void streamableHttp() throws Exception {
    Map<String, JsonObject> steps = run(Map.of(), "http", service.mcpBase() + "/mcp");
    assertThat(steps.get("initialize").getString("protocolVersion")).isEqualTo("2025-11-25");
  }

  /**
   * With an authorization server: the client sends an access token (from a test issuer on a loopback port) and
   * acts as the token's user.
   */
  @Test
  void streamableHttpWithAnAccessToken() throws Exception {
    try (TestIssuer issuer = TestIssuer.start()) {
      TestIssuer.SigningKey key = TestIssuer.rsaKey("ts-key");
      issuer.publish(key);
      String resource = "https://memory.example.test/mcp";
      RunningService secured = RunningService.start(new LuceneStore(), Map.of("MEMGATE_OAUTH_ISSUER",
        issuer.issuer(), "MEMGATE_PUBLIC_URL", "https://memory.example.test", "MEMGATE_API_KEY", "ts-operator-key"));
      try {
        String user = "ts-token-" + UUID.randomUUID();
        String token = TestIssuer.sign(key, issuer.claims(user, resource)
          .put("scope", "memories:read memories:write memories:delete"));
        run(user, Map.of("MEMGATE_TEST_BEARER", token), "http", secured.mcpBase() + "/mcp");
        // Without the token the same client cannot connect.
        assertThat(exitOf(Map.of(), "http", secured.mcpBase() + "/mcp")).isNotZero();
      } finally {
        secured.close();
      }
    }
  }

  @Test
  void legacySse() throws Exception {
    run(Map.of(), "sse", service.mcpBase() + "/sse");
  }

  @Test
  void webSocket() throws Exception {
    run(Map.of(), "ws", service.mcpBase().replace("http://", "ws://") + "/mcp/ws");
  }

  @Test
  void stdio() throws Exception {
    Path dataDir = Files.createTempDirectory("memgate-ts-stdio-");
    try {
      List<String> args = new ArrayList<>(List.of("stdio"));
      args.addAll(PackagedJar.stdioCommand());
      run(Map.of("MEMGATE_DATA_DIR", dataDir.toString()), args.toArray(String[]::new));
    } finally {
      RunningService.deleteTree(dataDir);
    }
  }

  /** Runs client.mjs and checks every step; returns the steps by name. */
  private Map<String, JsonObject> run(Map<String, String> env, String... args) throws IOException,
    InterruptedException {
    return run("ts-" + args[0] + "-" + UUID.randomUUID(), env, args);
  }

  /** Runs client.mjs to its end and returns its exit code, checking nothing else. */
  private int exitOf(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("node", "--experimental-websocket", "client.mjs"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(nodeDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process client = builder.start();
    client.getInputStream().readAllBytes();
    assertThat(client.waitFor(3, TimeUnit.MINUTES)).as("client.mjs did not finish").isTrue();
    return client.exitValue();
  }

  private Map<String, JsonObject> run(String user, Map<String, String> env, String... args) throws IOException,
    InterruptedException {
    List<String> command = new ArrayList<>(List.of("node", "--experimental-websocket", "client.mjs"));
    command.addAll(List.of(args));
    Path stderr = Files.createTempFile("memgate-ts-client-", ".stderr");
    ProcessBuilder builder = new ProcessBuilder(command).directory(nodeDir.toFile()).redirectError(stderr.toFile());
    builder.environment().put("MEMGATE_TEST_USER", user);
    builder.environment().putAll(env);
    Process client = builder.start();
    String stdout = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean ended = client.waitFor(3, TimeUnit.MINUTES);
    String errors = Files.readString(stderr);
    Files.deleteIfExists(stderr);
    assertThat(ended).as("client.mjs did not finish").isTrue();
    assertThat(client.exitValue()).as("client.mjs %s failed:\n%s\n%s", args[0], stdout, errors).isZero();

    Map<String, JsonObject> steps = new HashMap<>();
    stdout.lines().filter(l -> l.startsWith("{")).map(JsonObject::new).forEach(s -> steps.put(s.getString("step"), s));
    assertThat(steps).containsKeys("initialize", "tools", "add", "search", "bad-arguments", "delete",
      "search-after-delete", "ping", "done");

    JsonObject init = steps.get("initialize");
    assertThat(init.getJsonObject("serverInfo").getString("name")).isEqualTo("memgate");
    assertThat(init.getString("instructions")).contains("search_memory");

    JsonObject tools = steps.get("tools");
    assertThat(values(tools, "names")).contains("add_memories", "search_memory", "list_memories",
      "delete_memories", "delete_all_memories", "get_memory", "update_memory", "memory_history");
    assertThat(values(tools, "readOnly")).contains("search_memory", "list_memories")
      .doesNotContain("add_memories", "delete_memories");
    assertThat(values(tools, "destructive")).contains("delete_memories", "delete_all_memories");

    JsonObject added = steps.get("add");
    assertThat(added.getBoolean("isError")).isFalse();
    String id = added.getString("id");
    assertThat(id).isNotBlank();

    JsonObject search = steps.get("search");
    assertThat(values(search, "ids")).first().isEqualTo(id);
    assertThat(values(search, "users")).containsExactly(user);
    assertThat(search.getBoolean("textMatchesStructured")).isTrue();

    JsonObject bad = steps.get("bad-arguments");
    assertThat(bad.getBoolean("isError")).isTrue();
    assertThat(bad.getString("text")).contains("limit");

    assertThat(values(steps.get("delete"), "deleted")).containsExactly(id);
    assertThat(values(steps.get("search-after-delete"), "ids")).doesNotContain(id);
    return steps;
  }

  private static List<Object> values(JsonObject step, String field) {
    return step.getJsonArray(field).stream().toList();
  }
}
