package dev.memgate.gateway.mcp;

import dev.memgate.gateway.testing.LogCapture;
import dev.memgate.gateway.testing.Eventually;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.McpWebSocket;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.SseReader;
import dev.memgate.mcp.McpVerticle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the MCP listener refuses before any tool runs, and how. With the REST API key set and no MCP token of its
 * own, MCP needs that key on every transport, in any of the forms REST takes it (issue 10, finding 4). A forged
 * Host is refused (DNS rebinding). Bad input shapes are 4xx with JSON-RPC errors, never 5xx or -32603 (finding 5).
 * Every refusal is one short line in the log, never a stack trace (findings 6 and 7). The tools' input schemas
 * declare the limits the memory service enforces, and add_memories names its own argument (finding 9).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpEdgeRefusalsTest {
  private static final String KEY = "rest-key-for-mcp-tests";
  private static final Map<String, String> BEARER = Map.of("Authorization", "Bearer " + KEY);

  private RunningService service;
  private McpHttp mcp;
  private int port;

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore(), Map.of(
      "MEMGATE_API_KEY", KEY,
      "MEMGATE_DEFAULT_USER", "edge-user",
      "MEMGATE_MAX_TEXT_CHARS", "200",
      "MEMGATE_MAX_QUERY_CHARS", "100",
      "MEMGATE_MAX_LIMIT", "50"));
    mcp = new McpHttp(service.mcpBase());
    port = McpVerticle.actualPort(service.vertx());
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  private static String initialize() {
    return McpHttp.request(1, "initialize", McpHttp.initializeParams("2025-11-25")).encode();
  }

  private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
    Map<String, String> all = new HashMap<>(a);
    all.putAll(b);
    return all;
  }

  @Test
  void withTheRestKeySetAndNoMcpTokenEveryTransportNeedsTheKey() {
    Reply missing = mcp.post("/mcp", initialize(), Map.of());
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.json().getJsonObject("error").getInteger("code")).isEqualTo(-32000);
    assertThat(mcp.post("/mcp", initialize(), Map.of("Authorization", "Bearer wrong")).status()).isEqualTo(401);
    try (SseReader stream = SseReader.open(mcp.base() + "/sse", Map.of())) {
      assertThat(stream.status()).isEqualTo(401);
    }
    String ws = service.mcpBase().replace("http://", "ws://") + "/mcp/ws";
    assertThatThrownBy(() -> McpWebSocket.connect(ws, Map.of()))
      .isInstanceOfSatisfying(McpWebSocket.Refused.class, refused -> assertThat(refused.status()).isEqualTo(401));

    for (Map<String, String> credential : List.of(BEARER, Map.of("Authorization", "Token " + KEY),
      Map.of("X-API-Key", KEY))) {
      String session = mcp.open("/mcp", credential);
      assertThat(mcp.call("/mcp", session, credential, "ping", null).getJsonObject("result")).isNotNull();
    }
    try (SseReader stream = SseReader.open(mcp.base() + "/sse", BEARER)) {
      assertThat(stream.status()).isEqualTo(200);
      String endpoint = stream.next().data();
      assertThat(mcp.post(endpoint, initialize(), Map.of()).status()).isEqualTo(401);
      assertThat(mcp.post(endpoint, initialize(), BEARER).status()).isEqualTo(202);
    }
    try (McpWebSocket socket = McpWebSocket.connect(ws, Map.of("X-API-Key", KEY))) {
      assertThat(socket.call(McpHttp.request(1, "ping", null)).getJsonObject("result")).isNotNull();
    }
  }

  @Test
  void aRequestNamingAnotherHostIsRefusedWith400() {
    for (String path : List.of("/mcp", "/mcp/ws")) {
      try (RawSocket socket = RawSocket.plain(port, 0)) {
        String request = "GET " + path + " HTTP/1.1\r\nHost: evil.example:8765\r\nAuthorization: Bearer " + KEY
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: mcp\r\n\r\n";
        assertThat(socket.write(request.getBytes(StandardCharsets.US_ASCII), 10_000)).isTrue();
        RawSocket.Handshake head = socket.readResponseHead(30_000);
        assertThat(head.status()).as(path).isEqualTo(400);
        assertThat(head.header("Content-Type")).startsWith("application/json");
        JsonObject body = new JsonObject(new String(socket.readBody(Integer.parseInt(head.header("Content-Length")),
          30_000), StandardCharsets.UTF_8));
        assertThat(body.getJsonObject("error").getString("message")).contains("mcp.allowed_hosts");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    // The names of this machine are fine.
    assertThat(mcp.post("/mcp", initialize(), BEARER).status()).isEqualTo(200);
  }

  @Test
  void anEmptyBodyIsAParseErrorWith400OnEveryTransport() {
    Reply streamable = mcp.post("/mcp", "", BEARER);
    assertThat(streamable.status()).isEqualTo(400);
    assertThat(streamable.json().getJsonObject("error").getInteger("code")).isEqualTo(-32700);
    try (SseReader stream = SseReader.open(mcp.base() + "/sse", BEARER)) {
      String endpoint = stream.next().data();
      Reply legacy = mcp.post(endpoint, "", BEARER);
      assertThat(legacy.status()).isEqualTo(400);
      assertThat(legacy.json().getJsonObject("error").getInteger("code")).isEqualTo(-32700);
    }
  }

  @Test
  void aQueryStringThatIsNotPercentEncodingIsA400() {
    RawSocket.Handshake reply = rawPost("/messages?sessionId=%zz", McpHttp.request(1, "ping", null).encode());
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
  }

  @Test
  void nullParamsAndMembersOfTheWrongTypeAreInvalidParamsNotInternalErrors() {
    String session = mcp.open("/mcp", BEARER);
    JsonObject nullParams = mcp.call("/mcp", session, BEARER, "tools/call", null);
    Reply raw = mcp.post("/mcp", new JsonObject().put("jsonrpc", "2.0").put("id", 9).put("method", "tools/call")
      .putNull("params").encode(), with(BEARER, Map.of(McpHttp.SESSION, session, McpHttp.VERSION, "2025-11-25")));
    assertThat(raw.status()).isEqualTo(200);
    assertThat(raw.json().getJsonObject("error").getInteger("code")).isEqualTo(-32602);
    assertThat(nullParams.getJsonObject("error").getInteger("code")).isEqualTo(-32602);

    JsonObject params = McpHttp.initializeParams("2025-11-25").put("capabilities", "all of them");
    Reply init = mcp.post("/mcp", McpHttp.request(2, "initialize", params).encode(), BEARER);
    assertThat(init.json().getJsonObject("error").getInteger("code")).isEqualTo(-32602);
    assertThat(init.json().getJsonObject("error").getString("message")).contains("params.capabilities");
  }

  @Test
  void theToolSchemasDeclareTheConfiguredLimitsAndAddMemoriesNamesItsOwnArgument() {
    String session = mcp.open("/mcp", BEARER);
    Map<String, JsonObject> inputs = new HashMap<>();
    mcp.call("/mcp", session, BEARER, "tools/list", new JsonObject()).getJsonObject("result").getJsonArray("tools")
      .forEach(t -> inputs.put(((JsonObject) t).getString("name"), ((JsonObject) t).getJsonObject("inputSchema")));
    assertThat(property(inputs, "add_memories", "text").getInteger("maxLength")).isEqualTo(200);
    assertThat(property(inputs, "update_memory", "text").getInteger("maxLength")).isEqualTo(200);
    assertThat(property(inputs, "search_memory", "query").getInteger("maxLength")).isEqualTo(100);
    assertThat(property(inputs, "search_memory", "limit").getInteger("maximum")).isEqualTo(50);
    assertThat(property(inputs, "list_memories", "limit").getInteger("maximum")).isEqualTo(50);
    assertThat(property(inputs, "get_memory", "memory_id").getInteger("maxLength")).isPositive();
    assertThat(property(inputs, "delete_memories", "memory_ids").getJsonObject("items").getInteger("maxLength"))
      .isPositive();

    JsonObject tooLong = mcp.tool("/mcp", session, BEARER, "add_memories", new JsonObject().put("text",
      "a".repeat(201)));
    assertThat(tooLong.getBoolean("isError")).isTrue();
    assertThat(McpHttp.text(tooLong)).isEqualTo("text is longer than 200 characters");
    JsonObject blank = mcp.tool("/mcp", session, BEARER, "add_memories", new JsonObject().put("text", "   "));
    assertThat(McpHttp.text(blank)).startsWith("text ").doesNotContain("messages");
    JsonObject overLimit = mcp.tool("/mcp", session, BEARER, "search_memory", new JsonObject().put("query", "x")
      .put("limit", 51));
    assertThat(McpHttp.text(overLimit)).isEqualTo("limit must be between 1 and 50");
  }

  /** A POST written by hand: the JDK's client refuses to send a URI that is not valid percent-encoding. */
  private RawSocket.Handshake rawPost(String path, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + KEY
      + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n";
    try (RawSocket socket = RawSocket.plain(port, 0)) {
      socket.append(head.getBytes(StandardCharsets.US_ASCII));
      assertThat(socket.write(bytes, 10_000)).isTrue();
      return socket.readResponseHead(30_000);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void requestsTheHttpDecoderCannotReadGetAJsonRpcErrorToo() {
    Map<String, Integer> cases = Map.of(
      "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414,
      "GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n", 431,
      "NOT HTTP AT ALL\r\n\r\n", 400,
      "GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Line\r\n\r\n", 400);
    cases.forEach((request, status) -> {
      String what = request.substring(0, Math.min(30, request.length()));
      try (RawSocket socket = RawSocket.plain(port, 0)) {
        assertThat(socket.write(request.getBytes(StandardCharsets.ISO_8859_1), 10_000)).isTrue();
        RawSocket.Handshake head = socket.readResponseHead(30_000);
        assertThat(head.status()).as(what).isEqualTo(status);
        assertThat(head.header("Content-Type")).as(what).startsWith("application/json");
        JsonObject body = new JsonObject(new String(socket.readBody(Integer.parseInt(head.header("Content-Length")),
          30_000), StandardCharsets.UTF_8));
        assertThat(body.getJsonObject("error").getInteger("code")).isEqualTo(-32000);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static JsonObject property(Map<String, JsonObject> inputs, String tool, String argument) {
    return inputs.get(tool).getJsonObject("properties").getJsonObject(argument);
  }

  @Test
  void refusalsAreOneShortLineEachAndNoBadRequestLeavesAStackTrace() {
    try (LogCapture log = LogCapture.open()) {
      Eventually.await(Duration.ofSeconds(30), () -> {
        mcp.post("/mcp", initialize(), Map.of());
        return log.lines("memgate.refused").stream().anyMatch(line -> line.contains("refused mcp POST /mcp")
          && line.contains("401"));
      }, () -> "no refusal line was logged: " + log.lines("memgate.refused"));

      String session = mcp.open("/mcp", BEARER);
      Map<String, String> inSession = with(BEARER, Map.of(McpHttp.SESSION, session, McpHttp.VERSION, "2025-11-25"));
      List<String> bodies = List.of("", " ", "{", "[]", "[1]", "null", "42", "\"text\"", "{\"jsonrpc\":\"2.0\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":[]}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":{},\"arguments\":[]}}",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        new JsonArray().add(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "ping")).encode());
      for (String body : bodies) {
        for (Map<String, String> headers : List.of(BEARER, inSession)) {
          Reply reply = mcp.post("/mcp", body, headers);
          assertThat(reply.status()).as(body).isLessThan(500);
          if (reply.status() == 200 && reply.json().containsKey("error")) {
            assertThat(reply.json().getJsonObject("error").getInteger("code")).as(body).isNotEqualTo(-32603);
          }
        }
      }
      for (String path : List.of("/messages?sessionId=%zz", "/messages?sessionId=nope", "/mcp/x/sse/%zz",
        "/mcp/%zz/http/u", "/nowhere")) {
        assertThat(rawPost(path, "{}").status()).as(path).isBetween(400, 499);
      }
      assertThat(mcp.post("/mcp", "{}", with(BEARER, Map.of("Content-Type", "text/plain"))).status())
        .isEqualTo(415);
      assertThat(log.stackTracesAndErrors()).as("stack traces and errors in the log").isEmpty();
      assertThat(log.lines("memgate.refused")).allMatch(line -> !line.contains("\n") && line.length() < 400);
    }
  }
}
