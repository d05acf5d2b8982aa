package dev.memgate.gateway.fuzz;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fuzzer's own judgement, without a server: a fuzzer that cannot tell a stack trace, a broken answer or a
 * certainly invalid request from a fine one would pass a broken service. Also: the same seed gives the same
 * requests, which is what makes a failure replayable.
 */
class FuzzerSelfTest {
  private static final Territory TERRITORY = new Territory("127.0.0.1:1", "127.0.0.1:2", List.of("ann", "ben"),
    "agent", "run", List.of("p1", "p2"), List.of("s1"), "mcp", List.of("m1"), "mcp-sandbox", List.of("ms1"),
    Set.of("marker"));

  @Test
  void theSameSeedGivesTheSameRequests() {
    RestGrammar grammar = new RestGrammar(TERRITORY);
    for (int index = 0; index < 200; index++) {
      HttpCase first = grammar.next(Dice.forRequest(42, "lucene/rest", index), index);
      HttpCase again = grammar.next(Dice.forRequest(42, "lucene/rest", index), index);
      assertThat(again.wire()).isEqualTo(first.wire());
      assertThat(again.shape()).isEqualTo(first.shape());
    }
    assertThat(grammar.next(Dice.forRequest(43, "lucene/rest", 0), 0).wire())
      .isNotEqualTo(grammar.next(Dice.forRequest(42, "lucene/rest", 0), 0).wire());
    JsonObject text = new JsonObject().put("type", "object").put("properties", new JsonObject()
      .put("text", new JsonObject().put("type", "string").put("minLength", 1))).put("required",
        new io.vertx.core.json.JsonArray().add("text")).put("additionalProperties", false);
    McpGrammar mcp = new McpGrammar(List.of(new McpGrammar.Tool("add_memories", text),
      new McpGrammar.Tool("search_memory", text.copy())), TERRITORY);
    for (int index = 0; index < 200; index++) {
      McpGrammar.Message first = mcp.next(Dice.forRequest(42, "lucene/mcp-ws", index), index, index % 2 == 0);
      McpGrammar.Message again = mcp.next(Dice.forRequest(42, "lucene/mcp-ws", index), index, index % 2 == 0);
      assertThat(again.bytes()).isEqualTo(first.bytes());
      assertThat(again.aim()).isEqualTo(first.aim());
    }
  }

  @Test
  void stackTracesAreRecognisedAndOrdinaryErrorsAreNot() {
    assertThat(Oracle.stackTrace("boom\n\tat dev.memgate.X.y(X.java:12)")).isNotNull();
    assertThat(Oracle.stackTrace("java.lang.NullPointerException: Cannot invoke")).isNotNull();
    assertThat(Oracle.stackTrace("NullPointerException: x is null")).isNotNull();
    assertThat(Oracle.stackTrace("failed at io.vertx.core.impl.ContextImpl")).isNotNull();
    assertThat(Oracle.stackTrace("{\"detail\":\"limit must be between 1 and 1000\",\"code\":4000}")).isNull();
    assertThat(Oracle.stackTrace("Parse error: the message is not valid JSON")).isNull();
    assertThat(Oracle.stackTrace("Invalid arguments for add_memories: unknown argument x")).isNull();
  }

  @Test
  void restAnswersAreJudgedByStatusFormatAndAim() {
    HttpCase read = new HttpCase.Builder("GET", "/health", "h").build("/health");
    HttpCase write = new HttpCase.Builder("POST", "/reset", "h").aim(HttpCase.Aim.PROTECTED).build("/reset");
    String problem = new JsonObject().put("status", 400).put("code", 4000).put("detail", "bad").encode();
    assertThat(Oracle.rest(read, answer(400, "application/problem+json", problem))).isEmpty();
    assertThat(Oracle.rest(read, answer(400, "text/plain", "Bad Request"))).containsExactly(
      "400 not problem+json (text/plain)");
    assertThat(Oracle.rest(read, answer(500, "application/problem+json", problem.replace("400", "500"))))
      .containsExactly("status 500");
    assertThat(Oracle.rest(write, answer(200, "application/json", "{}")))
      .containsExactly("accepted a write that breaks a rule (status 200)");
    assertThat(Oracle.rest(read, answer(400, "application/problem+json", "{\"status\":400}")))
      .contains("problem+json without a numeric code", "problem+json without a detail");
  }

  @Test
  void jsonRpcRepliesAreJudged() {
    assertThat(Oracle.jsonRpc("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", Set.of())).isEmpty();
    assertThat(Oracle.jsonRpc("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32603,\"message\":\"x\"}}",
      Set.of())).containsExactly("JSON-RPC internal error -32603");
    assertThat(Oracle.jsonRpc("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"isError\":true,\"content\":[{\"type\":"
      + "\"text\",\"text\":\"Internal error: boom\"}]}}", Set.of())).containsExactly(
      "a tool result saying Internal error");
    assertThat(Oracle.jsonRpc("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"text\":\"the marker\"}}",
      Set.of("marker"))).containsExactly("an answer shows another user's memory");
    Set<String> ids = Conversation.ids(bytes("[{\"id\":1},{\"id\":\"b\"}]"));
    assertThat(Conversation.toolSucceeded("{\"jsonrpc\":\"2.0\",\"id\":1.0,\"result\":{\"content\":[]}}", ids))
      .isTrue();
    assertThat(Conversation.toolSucceeded("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[]}}", ids))
      .isFalse();
    assertThat(Conversation.toolSucceeded("[{\"jsonrpc\":\"2.0\",\"id\":\"b\",\"result\":{\"content\":[],"
      + "\"isError\":true}}]", ids)).isFalse();
  }

  @Test
  void onlyWellFormedRequestsAreOwedAReply() {
    assertThat(Conversation.expectedId(bytes("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}"), false))
      .isEqualTo(7);
    assertThat(Conversation.expectedId(bytes("{\"jsonrpc\":\"2.0\",\"method\":\"ping\"}"), false)).isNull();
    assertThat(Conversation.expectedId(bytes("{\"jsonrpc\":\"1.0\",\"id\":7,\"method\":\"ping\"}"), false)).isNull();
    assertThat(Conversation.expectedId(bytes("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}"), false))
      .isNull();
    assertThat(Conversation.expectedId(bytes("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]"), true))
      .isEqualTo("[]");
    assertThat(Conversation.expectedId(bytes("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]"), false))
      .isNull();
    assertThat(Conversation.answers("{\"jsonrpc\":\"2.0\",\"id\":7.0,\"result\":{}}", 7)).isTrue();
    assertThat(Conversation.expectedId(bytes("{\"jsonrpc\":\"2.0\",\"id\":1180591620717411303424,\"method\":"
      + "\"ping\"}"), false)).isSameAs(Conversation.ANY);
  }

  @Test
  void answersAreReadWhateverTheirFraming() {
    byte[] chunked = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
      .getBytes(StandardCharsets.ISO_8859_1);
    HttpAnswer answer = HttpAnswer.parse(chunked, false, false);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text()).isEqualTo("abc");
    byte[] partial = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(HttpAnswer.parse(partial, false, false)).isNull();
    assertThat(HttpAnswer.parse(partial, false, true).failure()).contains("before the whole body");
    assertThat(HttpAnswer.parse(new byte[0], false, true).failure()).contains("without an answer");
    assertThat(HttpAnswer.bodyUntilClose("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
      false)).isFalse();
    byte[] closeDelimited = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n"
      .getBytes(StandardCharsets.ISO_8859_1);
    assertThat(HttpAnswer.bodyUntilClose(closeDelimited, false)).isTrue();
    assertThat(HttpAnswer.parse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0000"
      .getBytes(StandardCharsets.ISO_8859_1), false, false).status()).isEqualTo(101);
  }

  @Test
  void certaintyErrsTowardsTheSandbox() {
    JsonObject limit = new JsonObject().put("type", "integer").put("minimum", 1);
    assertThat(Schema.certainlyBreaks(limit, J.num(0))).isTrue();
    assertThat(Schema.certainlyBreaks(limit, J.num("1.5"))).isTrue();
    assertThat(Schema.certainlyBreaks(limit, J.num("1.0"))).isFalse();
    assertThat(Schema.certainlyBreaks(limit, J.nul())).isFalse();
    assertThat(Schema.certainlyBreaks(limit, J.str("5"))).isTrue();
    assertThat(Rules.refuses("text", J.str("   "))).isTrue();
    assertThat(Rules.refuses("text", J.str("x".repeat(Rules.MAX_TEXT_CHARS)))).isFalse();
    assertThat(Rules.refuses("user_id", J.str("a\u0001b"))).isTrue();
    assertThat(Rules.refuses("user_id", J.str("  padded  "))).isFalse();
    assertThat(Rules.refuses("metadata", J.obj().put("user_id", J.str("x")))).isTrue();
    assertThat(Rules.refuses("metadata", J.obj().put("source", J.nul()))).isTrue();
    assertThat(Rules.metadataRefused(J.obj().put("source", J.nul()), true)).isFalse();
    assertThat(Rules.refuses("timestamp", J.str("yesterday"))).isTrue();
    assertThat(Rules.refuses("timestamp", J.str("2024-05-01T10:00:00Z"))).isFalse();
    assertThat(Rules.refuses("messages", J.arr())).isTrue();
    assertThat(Rules.refuses("messages", J.arr(J.obj().put("role", J.str("narrator")).put("content",
      J.str("x"))))).isTrue();
  }

  @Test
  void brokenJsonIsWrittenAsAsked() {
    J.Obj duplicate = J.obj().put("a", J.num(1)).append("a", J.num("1e309"));
    assertThat(duplicate.text()).isEqualTo("{\"a\":1,\"a\":1e309}");
    assertThat(J.str("x\uD800").text()).isEqualTo("\"x\\ud800\"");
    assertThat(J.str("tab\there").text()).isEqualTo("\"tab\\u0009here\"");
    assertThat(J.of(new JsonObject(Map.of("k", List.of(1, "two")))).text()).isEqualTo("{\"k\":[1,\"two\"]}");
  }

  private static HttpAnswer answer(int status, String type, String body) {
    return new HttpAnswer(status, Map.of("content-type", List.of(type)), bytes(body), null);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
