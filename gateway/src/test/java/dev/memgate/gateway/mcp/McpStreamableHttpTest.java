package dev.memgate.gateway.mcp;

import dev.memgate.contract.McpBus;
import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MCP's Streamable HTTP transport as a client meets it on {@code /mcp}, spoken by hand: the handshake, sessions,
 * version and origin checks, size limits, malformed messages, and tool results. The default user is the actor.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(VertxExtension.class)
class McpStreamableHttpTest {
  private RunningService service;
  private McpHttp mcp;

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore(), Map.of("MEMGATE_DEFAULT_USER", "streamable-default"));
    mcp = new McpHttp(service.mcpBase());
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void initializeOpensASessionWithAnUnguessableIdAndTellsTheAssistantWhatToDo() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      Reply reply = mcp.initialize("/mcp", Map.of(), McpHttp.initializeParams("2025-06-18"));
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
      assertThat(reply.header("Content-Type")).startsWith("application/json");
      String session = reply.header(McpHttp.SESSION);
      assertThat(session).matches("[\\x21-\\x7E]{32,}");
      ids.add(session);
      JsonObject result = reply.json().getJsonObject("result");
      assertThat(result.getString("protocolVersion")).isEqualTo("2025-06-18");
      assertThat(result.getJsonObject("serverInfo").getString("name")).isEqualTo("memgate");
      assertThat(result.getJsonObject("capabilities").getJsonObject("tools")).isNotNull();
      assertThat(result.getString("instructions")).contains("search_memory").contains("add_memories");
    }
    assertThat(ids).hasSize(3);
  }

  @Test
  void aRevisionTheServerDoesNotSpeakIsAnsweredWithItsNewest() {
    for (String asked : List.of("2099-01-01", "2024-11-05")) {
      Reply reply = mcp.initialize("/mcp", Map.of(), McpHttp.initializeParams(asked));
      assertThat(reply.json().getJsonObject("result").getString("protocolVersion"))
        .as("asked for %s over Streamable HTTP", asked).isEqualTo("2025-11-25");
    }
  }

  @Test
  void aRequestFromABrowserPageOfAnotherOriginIsForbidden() {
    String initialize = McpHttp.request(1, "initialize", McpHttp.initializeParams("2025-11-25")).encode();
    for (String origin : List.of("http://evil.example", "http://localhost.evil.example:8765", "null",
      "https://127.0.0.1.nip.io")) {
      Reply reply = mcp.post("/mcp", initialize, Map.of("Origin", origin));
      assertThat(reply.status()).as(origin).isEqualTo(403);
      assertThat(reply.json().getJsonObject("error").getString("message")).contains("origin");
      assertThat(reply.header(McpHttp.SESSION)).isNull();
    }
    Reply sse = mcp.send(HttpRequest.newBuilder(URI.create(mcp.base() + "/sse")).header("Origin",
      "http://evil.example").GET());
    assertThat(sse.status()).isEqualTo(403);
  }

  @Test
  void aLocalBrowserOriginMayCallAndReadTheSessionHeader() {
    Reply reply = mcp.post("/mcp", McpHttp.request(1, "initialize", McpHttp.initializeParams("2025-11-25")).encode(),
      Map.of("Origin", "http://localhost:6274"));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:6274");
    assertThat(reply.header("Access-Control-Expose-Headers")).contains("Mcp-Session-Id");
  }

  @Test
  void aRequestWithoutASessionIs400AndWithAnUnknownOneIs404() {
    String ping = McpHttp.request(7, "ping", null).encode();
    Reply missing = mcp.post("/mcp", ping, Map.of());
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().getJsonObject("error").getString("message")).contains("Mcp-Session-Id");

    Reply unknown = mcp.post("/mcp", ping, Map.of(McpHttp.SESSION, "no-such-session-0123456789abcdef"));
    assertThat(unknown.status()).isEqualTo(404);
  }

  @Test
  void anUnsupportedProtocolVersionHeaderIs400() {
    String session = mcp.open();
    Reply reply = mcp.post("/mcp", McpHttp.request(1, "ping", null).encode(),
      Map.of(McpHttp.SESSION, session, McpHttp.VERSION, "2023-01-01"));
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().getJsonObject("error").getString("message")).contains("2023-01-01").contains("2025-11-25");

    Reply supported = mcp.post("/mcp", McpHttp.request(2, "ping", null).encode(),
      Map.of(McpHttp.SESSION, session, McpHttp.VERSION, "2025-03-26"));
    assertThat(supported.status()).isEqualTo(200);
  }

  @Test
  void deleteEndsTheSessionAndLaterRequestsGet404() {
    String session = mcp.open();
    Reply ended = mcp.send(HttpRequest.newBuilder(URI.create(mcp.base() + "/mcp")).header(McpHttp.SESSION, session)
      .DELETE());
    assertThat(ended.status()).isEqualTo(200);

    Reply after = mcp.post("/mcp", McpHttp.request(1, "ping", null).encode(), Map.of(McpHttp.SESSION, session));
    assertThat(after.status()).isEqualTo(404);
    Reply again = mcp.send(HttpRequest.newBuilder(URI.create(mcp.base() + "/mcp")).header(McpHttp.SESSION, session)
      .DELETE());
    assertThat(again.status()).isEqualTo(404);
    Reply withoutHeader = mcp.send(HttpRequest.newBuilder(URI.create(mcp.base() + "/mcp")).DELETE());
    assertThat(withoutHeader.status()).isEqualTo(400);
  }

  @Test
  void aMessageOverTheSizeLimitIs413() {
    String session = mcp.open();
    String text = "x".repeat(1_048_576);
    String message = McpHttp.request(1, "tools/call", new JsonObject().put("name", "add_memories")
      .put("arguments", new JsonObject().put("text", text))).encode();
    Reply reply = mcp.post("/mcp", message, Map.of(McpHttp.SESSION, session));
    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.json().getJsonObject("error").getString("message")).contains("1048576");
  }

  @Test
  void textThatIsNotJsonIsAParseError() {
    String session = mcp.open();
    Reply reply = mcp.post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":", Map.of(McpHttp.SESSION, session));
    assertThat(reply.status()).isEqualTo(400);
    JsonObject error = reply.json().getJsonObject("error");
    assertThat(error.getInteger("code")).isEqualTo(-32700);
    assertThat(reply.json().containsKey("id")).isTrue();
    assertThat(reply.json().getValue("id")).isNull();
  }

  @Test
  void jsonThatIsNotAJsonRpcMessageIsAnInvalidRequest() {
    String session = mcp.open();
    Map<String, Integer> expected = new HashMap<>();
    expected.put("{\"id\":1,\"method\":\"ping\"}", -32600);
    expected.put("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", -32600);
    expected.put("{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"ping\"}", -32600);
    expected.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":42}", -32600);
    expected.put("{\"jsonrpc\":\"2.0\",\"id\":1}", -32600);
    expected.put("\"ping\"", -32600);
    expected.put("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":[1]}", -32602);
    expected.forEach((body, code) -> {
      Reply reply = mcp.post("/mcp", body, Map.of(McpHttp.SESSION, session));
      assertThat(reply.status()).as(body).isEqualTo(400);
      assertThat(reply.json().getJsonObject("error").getInteger("code")).as(body).isEqualTo(code);
    });
  }

  @Test
  void batchesAreRefusedInRevisionsWithoutThemAndAnsweredInOrderIn20250326() {
    String modern = mcp.open();
    String batch = new JsonArray().add(McpHttp.request(1, "ping", null)).add(McpHttp.request(2, "ping", null))
      .encode();
    Reply refused = mcp.post("/mcp", batch, Map.of(McpHttp.SESSION, modern));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getJsonObject("error").getInteger("code")).isEqualTo(-32600);

    Reply init = mcp.initialize("/mcp", Map.of(), McpHttp.initializeParams("2025-03-26"));
    String old = init.header(McpHttp.SESSION);
    String mixed = new JsonArray()
      .add(McpHttp.request(1, "ping", null))
      .add(new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"))
      .add(McpHttp.request("two", "no/such/method", null))
      .add(new JsonObject().put("jsonrpc", "1.0").put("id", 3).put("method", "ping"))
      .encode();
    Reply answered = mcp.post("/mcp", mixed, Map.of(McpHttp.SESSION, old));
    assertThat(answered.status()).isEqualTo(200);
    JsonArray replies = answered.jsonArray();
    assertThat(replies).hasSize(3);
    assertThat(replies.getJsonObject(0).getValue("id")).isEqualTo(1);
    assertThat(replies.getJsonObject(0).getJsonObject("result")).isEqualTo(new JsonObject());
    assertThat(replies.getJsonObject(1).getValue("id")).isEqualTo("two");
    assertThat(replies.getJsonObject(1).getJsonObject("error").getInteger("code")).isEqualTo(-32601);
    assertThat(replies.getJsonObject(2).getJsonObject("error").getInteger("code")).isEqualTo(-32600);
  }

  @Test
  void aNotificationIsAcceptedWithoutABody() {
    String session = mcp.open();
    Reply reply = mcp.post("/mcp", new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/cancelled")
      .put("params", new JsonObject().put("requestId", 5)).encode(), Map.of(McpHttp.SESSION, session));
    assertThat(reply.status()).isEqualTo(202);
    assertThat(reply.body().length()).isZero();
  }

  @Test
  void aClientThatAcceptsOnlyAnEventStreamGetsTheAnswerAsAnEvent() {
    String session = mcp.open();
    Reply reply = mcp.post("/mcp", McpHttp.request(9, "ping", null).encode(),
      Map.of(McpHttp.SESSION, session, "Accept", "text/event-stream"));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("text/event-stream");
    assertThat(reply.text()).isEqualTo("event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{}}\n\n");
  }

  @Test
  void aBodyThatIsNotJsonIs415AndAnAcceptThatAllowsNeitherIs406() {
    String ping = McpHttp.request(1, "ping", null).encode();
    assertThat(mcp.post("/mcp", ping, Map.of("Content-Type", "text/plain")).status()).isEqualTo(415);
    assertThat(mcp.post("/mcp", ping, Map.of("Accept", "text/html")).status()).isEqualTo(406);
  }

  @Test
  void getOnTheEndpointIs405AndUnknownPathsAre404() {
    Reply get = mcp.send(HttpRequest.newBuilder(URI.create(mcp.base() + "/mcp")).header("Accept",
      "text/event-stream").GET());
    assertThat(get.status()).isEqualTo(405);
    assertThat(get.header("Allow")).contains("POST");
    Reply unknown = mcp.send(HttpRequest.newBuilder(URI.create(mcp.base() + "/nothing-here")).GET());
    assertThat(unknown.status()).isEqualTo(404);
    Reply unknownPost = mcp.post("/nothing-here", "{}", Map.of());
    assertThat(unknownPost.status()).isEqualTo(404);
  }

  @Test
  void initializeAlwaysStartsAFreshSession() {
    String first = mcp.open();
    Reply again = mcp.post("/mcp", McpHttp.request(1, "initialize", McpHttp.initializeParams("2025-11-25")).encode(),
      Map.of(McpHttp.SESSION, first));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.header(McpHttp.SESSION)).isNotNull().isNotEqualTo(first);
    assertThat(mcp.call(first, "ping", null).getJsonObject("result")).isEqualTo(new JsonObject());
  }

  @Test
  void initializeMustComeAlone() {
    String batch = new JsonArray().add(McpHttp.request(1, "initialize", McpHttp.initializeParams("2025-03-26")))
      .add(McpHttp.request(2, "ping", null)).encode();
    Reply reply = mcp.post("/mcp", batch, Map.of());
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().getJsonObject("error").getInteger("code")).isEqualTo(-32600);
    assertThat(reply.header(McpHttp.SESSION)).isNull();
  }

  @Test
  void anUnknownMethodAndAnUnknownToolAreProtocolErrors() {
    String session = mcp.open();
    JsonObject method = mcp.call(session, "prompts/list", null);
    assertThat(method.getJsonObject("error").getInteger("code")).isEqualTo(-32601);

    JsonObject tool = mcp.call(session, "tools/call", new JsonObject().put("name", "drop_database")
      .put("arguments", new JsonObject()));
    assertThat(tool.getJsonObject("error").getInteger("code")).isEqualTo(-32602);
    assertThat(tool.getJsonObject("error").getString("message")).contains("drop_database");

    JsonObject cursor = mcp.call(session, "tools/list", new JsonObject().put("cursor", "not-a-cursor"));
    assertThat(cursor.getJsonObject("error").getInteger("code")).isEqualTo(-32602);
  }

  @Test
  void badArgumentsComeBackAsToolErrorsTheModelCanActOn() {
    String session = mcp.open();
    Map<JsonObject, String> cases = Map.of(
      new JsonObject().put("name", "search_memory").put("arguments", new JsonObject().put("query", "x")
        .put("limit", "ten")), "limit must be an integer",
      new JsonObject().put("name", "search_memory").put("arguments", new JsonObject()),
      "missing required argument query",
      new JsonObject().put("name", "search_memory").put("arguments", new JsonObject().put("query", "x")
        .put("user_id", "someone-else")), "unknown argument user_id",
      new JsonObject().put("name", "delete_memories").put("arguments", new JsonObject().put("memory_ids",
        new JsonArray().add(7))), "memory_ids[0] must be a string",
      new JsonObject().put("name", "search_memory").put("arguments", new JsonObject().put("query", "x")
        .put("limit", 5000)), "limit must be between 1 and 1000",
      new JsonObject().put("name", "update_memory").put("arguments", new JsonObject().put("memory_id", "abc")),
      "no memory with id abc");
    cases.forEach((params, message) -> {
      JsonObject reply = mcp.call(session, "tools/call", params);
      JsonObject result = reply.getJsonObject("result");
      assertThat(result).as(reply.encode()).isNotNull();
      assertThat(result.getBoolean("isError")).as(params.encode()).isTrue();
      assertThat(McpHttp.text(result)).as(params.encode()).contains(message);
      assertThat(result.containsKey("structuredContent")).isFalse();
    });
  }

  @Test
  void mcpAndTheRestApiRefuseTheSameInputWithTheSameWords() {
    Api rest = service.api();
    Reply problem = rest.post("/search", new JsonObject().put("query", "coffee").put("user_id", "u")
      .put("limit", 5000));
    assertThat(problem.status()).isEqualTo(400);
    String session = mcp.open();
    JsonObject result = mcp.tool(session, "search_memory", new JsonObject().put("query", "coffee").put("limit", 5000));
    assertThat(McpHttp.text(result)).isEqualTo(problem.json().getString("detail"));
  }

  @Test
  void toolsDescribeTheirInputOutputAndBehaviourHonestly() {
    String session = mcp.open();
    JsonObject page = mcp.call(session, "tools/list", new JsonObject()).getJsonObject("result");
    assertThat(page.containsKey("nextCursor")).isFalse();
    Map<String, JsonObject> tools = new HashMap<>();
    page.getJsonArray("tools").forEach(t -> tools.put(((JsonObject) t).getString("name"), (JsonObject) t));
    assertThat(tools.keySet()).containsExactlyInAnyOrder("add_memories", "search_memory", "list_memories",
      "delete_memories", "delete_all_memories", "get_memory", "update_memory", "memory_history");
    tools.values().forEach(tool -> {
      assertThat(tool.getJsonObject("inputSchema").getString("type")).isEqualTo("object");
      assertThat(tool.getJsonObject("outputSchema").getString("type")).isEqualTo("object");
      assertThat(tool.getString("description")).isNotBlank();
    });
    for (String reader : List.of("search_memory", "list_memories", "get_memory", "memory_history")) {
      assertThat(tools.get(reader).getJsonObject("annotations").getBoolean("readOnlyHint")).as(reader).isTrue();
    }
    for (String eraser : List.of("delete_memories", "delete_all_memories")) {
      JsonObject hints = tools.get(eraser).getJsonObject("annotations");
      assertThat(hints.getBoolean("readOnlyHint")).isFalse();
      assertThat(hints.getBoolean("destructiveHint")).as(eraser).isTrue();
    }
    JsonObject add = tools.get("add_memories").getJsonObject("annotations");
    assertThat(add.getBoolean("readOnlyHint")).isFalse();
    assertThat(add.getBoolean("destructiveHint")).isFalse();
    assertThat(tools.get("add_memories").getJsonObject("inputSchema").getJsonArray("required"))
      .containsExactly("text");
  }

  @Test
  void aMemoryCanBeStoredFoundChangedTracedAndForgotten() {
    String session = mcp.open();
    JsonObject added = mcp.tool(session, "add_memories", new JsonObject().put("text", "I keep bees in my garden"));
    assertThat(added.getBoolean("isError", false)).as(added.encode()).isFalse();
    JsonObject structured = added.getJsonObject("structuredContent");
    assertThat(new JsonObject(McpHttp.text(added))).isEqualTo(structured);
    String id = structured.getJsonArray("results").getJsonObject(0).getString("id");

    JsonObject found = mcp.tool(session, "search_memory", new JsonObject().put("query", "what insects do I keep?"))
      .getJsonObject("structuredContent");
    JsonObject hit = found.getJsonArray("results").getJsonObject(0);
    assertThat(hit.getString("id")).isEqualTo(id);
    assertThat(hit.getString("user_id")).isEqualTo("streamable-default");
    assertThat(hit.getJsonObject("metadata").getString("mcp_client")).isEqualTo("raw-test");

    JsonObject updated = mcp.tool(session, "update_memory", new JsonObject().put("memory_id", id)
      .put("text", "I keep bees and hens in my garden")).getJsonObject("structuredContent");
    assertThat(updated.getString("previous_memory")).isEqualTo("I keep bees in my garden");
    assertThat(mcp.tool(session, "get_memory", new JsonObject().put("memory_id", id))
      .getJsonObject("structuredContent").getString("memory")).isEqualTo("I keep bees and hens in my garden");
    JsonArray history = mcp.tool(session, "memory_history", new JsonObject().put("memory_id", id))
      .getJsonObject("structuredContent").getJsonArray("results");
    assertThat(history.stream().map(r -> ((JsonObject) r).getString("event")).toList())
      .containsExactly("ADD", "UPDATE");

    JsonObject refused = mcp.tool(session, "delete_memories", new JsonObject().put("memory_ids",
      new JsonArray().add(id).add("not-a-memory")));
    assertThat(refused.getBoolean("isError")).isTrue();
    assertThat(McpHttp.text(refused)).contains("not-a-memory").contains("nothing was deleted");
    assertThat(mcp.tool(session, "get_memory", new JsonObject().put("memory_id", id)).getBoolean("isError", false))
      .isFalse();

    JsonObject deleted = mcp.tool(session, "delete_memories", new JsonObject().put("memory_ids",
      new JsonArray().add(id)));
    assertThat(deleted.getJsonObject("structuredContent").getJsonArray("deleted")).containsExactly(id);
    JsonObject gone = mcp.tool(session, "get_memory", new JsonObject().put("memory_id", id));
    assertThat(gone.getBoolean("isError")).isTrue();
    assertThat(McpHttp.text(gone)).contains("no memory with id " + id);
  }

  @Test
  void theMcpEdgeReportsItsTransportsAndSessionsOnTheBus(VertxTestContext testContext) {
    String session = mcp.open();
    service.vertx().eventBus().<JsonObject>request(McpBus.HEALTH, new JsonObject())
      .onComplete(testContext.succeeding(reply -> testContext.verify(() -> {
        JsonObject health = reply.body();
        assertThat(health.getString("status")).isEqualTo("UP");
        assertThat(health.getJsonArray("transports")).contains("streamable-http", "websocket", "sse");
        assertThat(health.getInteger("port")).isEqualTo(Integer.parseInt(mcp.base().replaceAll(".*:", "")));
        assertThat(health.getJsonObject("sessions").getInteger("streamable-http")).isPositive();
        assertThat(session).isNotBlank();
        testContext.completeNow();
      })));
  }

  @Test
  void theUsersMemoriesAreAResource() {
    String session = mcp.open();
    mcp.tool(session, "add_memories", new JsonObject().put("text", "My favourite tea is genmaicha"));
    JsonArray resources = mcp.call(session, "resources/list", null).getJsonObject("result").getJsonArray("resources");
    assertThat(resources.getJsonObject(0).getString("uri")).isEqualTo("memgate://memories");

    JsonObject read = mcp.call(session, "resources/read", new JsonObject().put("uri", "memgate://memories"))
      .getJsonObject("result").getJsonArray("contents").getJsonObject(0);
    assertThat(read.getString("mimeType")).isEqualTo("application/json");
    assertThat(new JsonObject(read.getString("text")).getJsonArray("results").stream()
      .map(m -> ((JsonObject) m).getString("memory"))).contains("My favourite tea is genmaicha");

    JsonObject missing = mcp.call(session, "resources/read", new JsonObject().put("uri", "memgate://nothing"));
    assertThat(missing.getJsonObject("error").getInteger("code")).isEqualTo(-32002);
  }
}
