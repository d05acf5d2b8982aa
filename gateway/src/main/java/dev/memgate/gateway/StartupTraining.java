package dev.memgate.gateway;

import dev.memgate.gateway.config.Settings;
import dev.memgate.gateway.http.HttpVerticle;
import dev.memgate.mcp.McpVerticle;
import dev.memgate.mcp.transport.StdioChannel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run of the start-up cache that {@code gateway/bin/memgate} builds next to the jar: the JDK's
 * ahead-of-time cache ({@code -XX:AOTCacheOutput}, JDK 25+) or a CDS archive ({@code -XX:ArchiveClassesAtExit},
 * JDK 21-24), which hold the classes (and, on JDK 25, the method profiles) this run used, loaded and linked, so that
 * the next start does not read, verify and link them again.
 *
 * <p>It starts the service exactly as {@link Main} does, with its built-in defaults (the embedded default), over a
 * temporary data directory, with both doors open (REST and MCP over HTTP on free ports, MCP over an in-process
 * stdio channel), and goes once through what a first session does: a first add and searches over HTTP, an MCP
 * initialize and tool calls over HTTP and over stdio. Then it stops cleanly and exits, and the JVM writes the cache.
 * It prints nothing on stdout and one line on stderr. Run it with the same class path and flags as the service.
 */
public final class StartupTraining {
  private static final String USER = "training-user";

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(10)).build();

  private StartupTraining() {
  }

  public static void main(String[] args) throws Exception {
    // Nothing on stdout, as in --stdio mode: the cache is built while `memgate run --stdio` may own it.
    System.setOut(System.err);
    long started = System.nanoTime();
    Path data = Files.createTempDirectory("memgate-training-");
    int code = 0;
    try {
      new StartupTraining().train(data);
      System.err.printf("memgate: start-up training run done in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    } catch (Exception e) {
      System.err.println("memgate: start-up training run failed: " + e);
      code = 1;
    } finally {
      deleteTree(data);
    }
    System.exit(code);
  }

  private void train(Path data) throws Exception {
    Settings settings = Settings.load(Map.of("MEMGATE_DATA_DIR", data.toString(), "MEMGATE_HTTP_PORT", "0",
      "MEMGATE_MCP_PORT", "0", "MEMGATE_STDIO_HTTP", "true"), null);
    PipedOutputStream toServer = new PipedOutputStream();
    PipedInputStream serverIn = new PipedInputStream(toServer, 1 << 16);
    PipedInputStream fromServer = new PipedInputStream(1 << 16);
    PipedOutputStream serverOut = new PipedOutputStream(fromServer);
    StdioChannel stdio = StdioChannel.open(serverIn, serverOut, settings.integer("mcp.max_message_bytes"));
    Vertx vertx = Vertx.vertx();
    try {
      Main.deploy(vertx, settings, stdio).await();
      overRest(HttpVerticle.actualPort(vertx));
      overMcpHttp(McpVerticle.actualPort(vertx));
      overStdio(toServer, new BufferedReader(new InputStreamReader(fromServer, StandardCharsets.UTF_8)));
    } finally {
      vertx.close().await();
    }
  }

  private void overRest(int port) throws IOException, InterruptedException {
    String base = "http://127.0.0.1:" + port;
    post(base + "/memories", new JsonObject().put("user_id", USER).put("infer", false).put("metadata",
      new JsonObject().put("source", "training")).put("messages", new JsonArray()
      .add(new JsonObject().put("role", "user").put("content", "I moved to Lisbon in May").put("name", "alice"))
      .add(new JsonObject().put("role", "user").put("content", "My sister plays the cello"))), Map.of());
    for (String mode : new String[] {"hybrid", "vector", "keyword"}) {
      post(base + "/search", new JsonObject().put("query", "Where does alice live?").put("user_id", USER)
        .put("mode", mode).put("filters", new JsonObject().put("source", "training")), Map.of());
    }
    get(base + "/memories?user_id=" + USER + "&limit=10");
    get(base + "/health");
  }

  private void overMcpHttp(int port) throws IOException, InterruptedException {
    String endpoint = "http://127.0.0.1:" + port + "/mcp";
    Map<String, String> headers = Map.of("Accept", "application/json, text/event-stream", "X-Memgate-User", USER);
    HttpResponse<String> initialized = post(endpoint, initialize(1), headers);
    String session = initialized.headers().firstValue("Mcp-Session-Id").orElse("");
    Map<String, String> inSession = Map.of("Accept", "application/json, text/event-stream", "X-Memgate-User", USER,
      "Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-06-18");
    post(endpoint, new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"), inSession);
    post(endpoint, call(2, "tools/list", null), inSession);
    post(endpoint, toolCall(3, "search_memory", new JsonObject().put("query", "cello")), inSession);
  }

  private static void overStdio(OutputStream toServer, BufferedReader fromServer) throws IOException {
    send(toServer, initialize(1));
    fromServer.readLine();
    send(toServer, new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"));
    send(toServer, toolCall(2, "add_memories", new JsonObject().put("text", "I am learning the theremin")
      .put("infer", false)));
    fromServer.readLine();
    send(toServer, toolCall(3, "search_memory", new JsonObject().put("query", "which instrument?")));
    fromServer.readLine();
  }

  private static JsonObject initialize(int id) {
    return call(id, "initialize", new JsonObject().put("protocolVersion", "2025-06-18")
      .put("capabilities", new JsonObject())
      .put("clientInfo", new JsonObject().put("name", "memgate-startup-training").put("version", "1")));
  }

  private static JsonObject toolCall(int id, String tool, JsonObject arguments) {
    return call(id, "tools/call", new JsonObject().put("name", tool).put("arguments", arguments));
  }

  private static JsonObject call(int id, String method, JsonObject params) {
    JsonObject message = new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method);
    return params == null ? message : message.put("params", params);
  }

  private static void send(OutputStream out, JsonObject message) throws IOException {
    out.write((message.encode() + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** A request that is not answered 2xx means the training did not go through the path it should train. */
  private HttpResponse<String> post(String uri, JsonObject body, Map<String, String> headers)
    throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(60))
      .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    headers.forEach(request::header);
    return checked(uri, http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
  }

  private void get(String uri) throws IOException, InterruptedException {
    checked(uri, http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(60)).GET().build(),
      HttpResponse.BodyHandlers.ofString()));
  }

  private static HttpResponse<String> checked(String uri, HttpResponse<String> response) {
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body());
    }
    return response;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: best effort
    }
  }
}
