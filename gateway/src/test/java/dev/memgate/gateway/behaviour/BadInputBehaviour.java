package dev.memgate.gateway.behaviour;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

import static dev.memgate.gateway.testing.Api.q;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input of every kind, whatever the vector store: each gets a 4xx {@code application/problem+json} naming the
 * field at fault where there is one, never a stack trace, and leaves the store exactly as it was. Each test seeds a
 * user with one memory and compares everything readable about that user before and after.
 *
 * <p>This suite's service runs with small limits (64 KiB bodies, 2000-character texts) to show that the configured
 * limits are the ones enforced.
 */
public abstract class BadInputBehaviour extends BehaviourSuite {
  private static final int MAX_BODY_BYTES = 65_536;
  private static final int MAX_TEXT_CHARS = 2_000;

  @Override
  protected Map<String, String> environment() {
    return Map.of("MEMGATE_HTTP_MAX_BODY_BYTES", String.valueOf(MAX_BODY_BYTES),
      "MEMGATE_MAX_TEXT_CHARS", String.valueOf(MAX_TEXT_CHARS));
  }

  /** A user with one memory, and everything readable about them. */
  private record Seeded(String userId, String memoryId, String snapshot) {
  }

  private Seeded seed() {
    String userId = newUser();
    String memoryId = remember(user(userId), "I keep my passport in the top drawer",
      new JsonObject().put("room", "bedroom"));
    return new Seeded(userId, memoryId, snapshot(userId));
  }

  private void assertUnchanged(Seeded seeded) {
    assertThat(snapshot(seeded.userId())).isEqualTo(seeded.snapshot());
  }

  /** A request whose body is exactly this text, after USER and ID are replaced and single quotes made double. */
  private Reply send(String method, String path, String template, Seeded seeded) {
    String body = template.replace('\'', '"').replace("USER", seeded.userId()).replace("ID", seeded.memoryId());
    return api.sendRaw(method, path.replace("ID", q(seeded.memoryId())), body.getBytes(StandardCharsets.UTF_8),
      "application/json");
  }

  private static Arguments request(String method, String path, String body, String field) {
    return Arguments.of(method, path, body, field);
  }

  // ---- bodies that are not JSON objects -------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} {1} with body [{2}]")
  @MethodSource("notJsonObjects")
  void aBodyThatIsNotAJsonObjectIsRefused(String method, String path, String body) {
    Seeded seeded = seed();

    assertProblem(send(method, path, body, seeded), 400);
    assertUnchanged(seeded);
  }

  static Stream<Arguments> notJsonObjects() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (String body : new String[] {"{bad json", "{'messages': 'x', 'user_id': 'USER'", "{'text': 'x',}",
      "{'messages': 'x' 'user_id': 'USER'}", "{'messages': 'x', 'user_id': 'USER'} trailing", "", "   ", "nul",
      "[1, 2]", "'a string'", "null", "42"}) {
      cases.add(Arguments.of("POST", "/memories", body));
      cases.add(Arguments.of("POST", "/search", body.replace("messages", "query")));
      cases.add(Arguments.of("PUT", "/memories/ID", body.replace("messages", "text")));
    }
    return cases.build();
  }

  @ParameterizedTest(name = "{0} {1} as {2}")
  @MethodSource("notJson")
  void aBodyThatIsNotDeclaredAsJsonIsUnsupported(String method, String path, String contentType) {
    Seeded seeded = seed();
    String body = "{\"messages\": \"I keep my keys by the door\", \"query\": \"keys\", \"text\": \"keys\","
      + " \"user_id\": \"" + seeded.userId() + "\", \"infer\": false}";

    Reply reply = api.sendRaw(method, path.replace("ID", q(seeded.memoryId())),
      body.getBytes(StandardCharsets.UTF_8), contentType);

    assertProblem(reply, 415);
    assertUnchanged(seeded);
  }

  static Stream<Arguments> notJson() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (String contentType : new String[] {"text/plain", "application/x-www-form-urlencoded", "application/xml",
      null}) {
      cases.add(Arguments.of("POST", "/memories", contentType));
      cases.add(Arguments.of("POST", "/search", contentType));
      cases.add(Arguments.of("PUT", "/memories/ID", contentType));
    }
    return cases.build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenUtf8")
  void bytesThatAreNotUtf8AreRefused(String name, byte[] broken) {
    Seeded seeded = seed();

    Reply add = api.postRaw("/memories", body("{\"user_id\": \"" + seeded.userId() + "\", \"infer\": false,"
      + " \"messages\": \"I keep my wallet ", broken, "\"}"), "application/json");
    Reply update = api.sendRaw("PUT", "/memories/" + q(seeded.memoryId()), body("{\"text\": \"wallet ", broken,
      "\"}"), "application/json");

    assertProblem(add, 400);
    assertProblem(update, 400);
    assertUnchanged(seeded);
  }

  static Stream<Arguments> brokenUtf8() {
    return Stream.of(
      Arguments.of("a lead byte without its continuation", new byte[] {(byte) 0xC3, 0x28}),
      Arguments.of("bytes that never occur in UTF-8", new byte[] {(byte) 0xFF, (byte) 0xFE}),
      Arguments.of("a sequence cut short", new byte[] {(byte) 0xE2, (byte) 0x82}),
      Arguments.of("an overlong encoding of '/'", new byte[] {(byte) 0xC0, (byte) 0xAF}),
      Arguments.of("an encoded lone surrogate (CESU-8)", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenUtf8")
  void percentEscapesThatAreNotUtf8AreRefusedInTheUrl(String name, byte[] broken) {
    Seeded seeded = seed();
    StringBuilder escaped = new StringBuilder();
    for (byte b : broken) {
      escaped.append(String.format("%%%02X", b & 0xFF));
    }

    Reply erase = api.delete("/memories?user_id=" + q(seeded.userId()).substring(0, 5) + escaped);
    Reply list = api.get("/memories?user_id=" + escaped);
    Reply get = api.get("/memories/" + escaped);

    assertProblem(erase, 400);
    assertProblem(list, 400);
    assertProblem(get, 400);
    assertUnchanged(seeded);
  }

  private static byte[] body(String head, byte[] middle, String tail) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(middle);
    bytes.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
    return bytes.toByteArray();
  }

  // ---- text no store can keep -----------------------------------------------------------------------------------

  @ParameterizedTest(name = "{2} at {3}")
  @MethodSource("unstorableText")
  void nulAndLoneSurrogatesAreRefusedNamingTheField(String method, String path, String body, String field) {
    Seeded seeded = seed();

    assertProblem(send(method, path, body, seeded), 400, field);
    assertUnchanged(seeded);
  }

  static Stream<Arguments> unstorableText() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (String bad : new String[] {"\\u0000", "\\ud800", "\\udc00", "\\ude80\\ud83d"}) {
      cases.add(request("POST", "/memories", "{'messages': 'a" + bad + "b', 'user_id': 'USER'}", "messages"));
      cases.add(request("POST", "/memories", "{'messages': [{'role': 'user', 'content': 'fine'},"
        + " {'role': 'user', 'content': 'a" + bad + "b'}], 'user_id': 'USER'}", "messages[1].content"));
      cases.add(request("POST", "/memories", "{'messages': [{'role': 'user', 'content': [{'type': 'text',"
        + " 'text': 'a" + bad + "'}]}], 'user_id': 'USER'}", "messages[0].content"));
      cases.add(request("POST", "/memories", "{'messages': [{'role': 'user', 'content': 'x', 'name': 'a" + bad
        + "'}], 'user_id': 'USER'}", "messages[0].name"));
      cases.add(request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER" + bad + "'}", "user_id"));
      cases.add(request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'agent_id': 'a" + bad + "'}",
        "agent_id"));
      cases.add(request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'run_id': 'r" + bad + "'}",
        "run_id"));
      cases.add(request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'metadata': {'note': 'a" + bad
        + "'}}", "metadata.note"));
      cases.add(request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'metadata': {'place':"
        + " {'tags': ['ok', 'a" + bad + "']}}}", "metadata.place.tags[1]"));
      cases.add(request("POST", "/search", "{'query': 'a" + bad + "', 'user_id': 'USER'}", "query"));
      cases.add(request("POST", "/search", "{'query': 'x', 'user_id': 'USER" + bad + "'}", "user_id"));
      cases.add(request("PUT", "/memories/ID", "{'text': 'a" + bad + "'}", "text"));
      cases.add(request("PUT", "/memories/ID", "{'metadata': {'room': 'a" + bad + "'}}", "metadata.room"));
    }
    cases.add(request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'metadata': {'no\\u0000te': 1}}",
      "metadata.no\u0000te"));
    cases.add(request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER\\u0007'}", "user_id"));
    return cases.build();
  }

  @Test
  void anEscapedSurrogatePairIsOneCharacterAndIsKept() {
    String una = newUser();
    Reply reply = api.postRaw("/memories", ("{\"user_id\": \"" + una + "\", \"infer\": false,"
      + " \"messages\": \"launch \\ud83d\\ude80 day\"}").getBytes(StandardCharsets.UTF_8), "application/json");

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(texts(listUser(una))).containsExactly("launch 🚀 day");
  }

  @Test
  void numbersTooLargeToKeepAreRefused() {
    Seeded seeded = seed();

    assertProblem(send("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'metadata': {'n': 1e400}}",
      seeded), 400, "metadata.n");
    assertProblem(send("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'metadata': {'n': [-1e400]}}",
      seeded), 400, "metadata.n[0]");
    assertProblem(send("PUT", "/memories/ID", "{'metadata': {'room': {'size': 1e999}}}", seeded), 400,
      "metadata.room.size");
    assertUnchanged(seeded);
  }

  // ---- limits ---------------------------------------------------------------------------------------------------

  @Test
  void aBodyOverTheConfiguredLimitIsTooLarge() {
    Seeded seeded = seed();
    String huge = "a".repeat(MAX_BODY_BYTES + 1);

    assertProblem(send("POST", "/memories", "{'messages': '" + huge + "', 'user_id': 'USER'}", seeded), 413);
    assertProblem(send("POST", "/search", "{'query': '" + huge + "', 'user_id': 'USER'}", seeded), 413);
    assertProblem(send("PUT", "/memories/ID", "{'text': '" + huge + "'}", seeded), 413);
    assertUnchanged(seeded);
    // a body within the limit is served as usual afterwards
    assertThat(remember(seeded.userId(), "I keep spare keys at my neighbour's")).isNotBlank();
  }

  @Test
  void overHttp11ATooLargeBodyClosesTheConnectionAndTheNextRequestIsServed() {
    Seeded seeded = seed();
    Api http11 = api.http11();
    byte[] huge = ("{\"messages\": \"" + "a".repeat(MAX_BODY_BYTES) + "\", \"user_id\": \"" + seeded.userId()
      + "\"}").getBytes(StandardCharsets.UTF_8);

    Reply reply = http11.postRaw("/memories", huge, "application/json");

    assertProblem(reply, 413);
    assertThat(reply.header("Connection")).isEqualToIgnoringCase("close");
    assertUnchanged(seeded);
    Reply next = http11.post("/memories", verbatim(user(seeded.userId()), "I keep my umbrella by the door"));
    assertThat(next.status()).as(next.toString()).isEqualTo(200);
  }

  @Test
  void aTextOverTheConfiguredLimitIsRefusedAndOneAtTheLimitIsKept() {
    Seeded seeded = seed();
    String tooLong = "b".repeat(MAX_TEXT_CHARS + 1);

    assertProblem(add(verbatim(user(seeded.userId()), tooLong)), 400, "messages");
    assertProblem(add(verbatim(user(seeded.userId()), conversation("fine", tooLong))), 400, "messages[1].content");
    assertProblem(api.put("/memories/" + q(seeded.memoryId()), new JsonObject().put("text", tooLong)), 400, "text");
    assertUnchanged(seeded);

    String atTheLimit = "c".repeat(MAX_TEXT_CHARS);
    assertThat(texts(added(verbatim(user(seeded.userId()), atTheLimit)))).containsExactly(atTheLimit);
  }

  @Test
  void deeplyNestedMetadataIsRefusedAndTheServiceKeepsAnswering() {
    Seeded seeded = seed();
    // Just within what the JSON parser reads (1,000 levels), and written as text: that is deeper than Jackson can
    // encode on an ordinary stack.
    String deep = "{\"a\":".repeat(990) + "{\"leaf\":1}" + "}".repeat(990);
    String add = "{\"messages\": \"I water the ferns on Sundays\", \"infer\": false, \"user_id\": \""
      + seeded.userId() + "\", \"metadata\": " + deep + "}";
    String update = "{\"text\": \"x\", \"metadata\": " + deep + "}";

    assertProblem(api.sendRaw("POST", "/memories", add.getBytes(StandardCharsets.UTF_8), "application/json"), 400,
      "metadata");
    assertProblem(api.sendRaw("PUT", "/memories/" + q(seeded.memoryId()), update.getBytes(StandardCharsets.UTF_8),
      "application/json"), 400, "metadata");
    assertUnchanged(seeded);
    JsonObject nestedButFine = new JsonObject().put("a", new JsonObject().put("b", new JsonObject().put("c", 1)));
    assertThat(add(verbatim(user(seeded.userId()), "I water the orchids on Mondays").put("metadata", nestedButFine))
      .status()).isEqualTo(200);
  }

  @Test
  void otherSizeLimitsAreRefusedNamingTheField() {
    Seeded seeded = seed();
    String[] tooMany = new String[501];
    for (int i = 0; i < tooMany.length; i++) {
      tooMany[i] = "message " + i;
    }
    JsonObject bigMetadata = new JsonObject().put("blob", "m".repeat(16_400));

    assertProblem(add(verbatim(user(seeded.userId()), conversation(tooMany))), 400, "messages");
    assertProblem(add(verbatim(user(seeded.userId()), "x").put("metadata", bigMetadata)), 400, "metadata");
    assertProblem(api.put("/memories/" + q(seeded.memoryId()), new JsonObject().put("metadata", bigMetadata)), 400,
      "metadata");
    assertProblem(add(verbatim(user("u".repeat(257)), "x")), 400, "user_id");
    assertProblem(search(user(seeded.userId()).put("query", "q".repeat(4_097))), 400, "query");
    assertUnchanged(seeded);
  }

  // ---- wrong JSON types and values ------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @MethodSource("wrongTypes")
  void aFieldOfTheWrongTypeIsRefusedNamingIt(String method, String path, String body, String field) {
    Seeded seeded = seed();

    assertProblem(send(method, path, body, seeded), 400, field);
    assertUnchanged(seeded);
  }

  static Stream<Arguments> wrongTypes() {
    return Stream.of(
      request("POST", "/memories", "{'user_id': 'USER'}", "messages"),
      request("POST", "/memories", "{'messages': null, 'user_id': 'USER'}", "messages"),
      request("POST", "/memories", "{'messages': 5, 'user_id': 'USER'}", "messages"),
      request("POST", "/memories", "{'messages': true, 'user_id': 'USER'}", "messages"),
      request("POST", "/memories", "{'messages': [5], 'user_id': 'USER'}", "messages[0]"),
      request("POST", "/memories", "{'messages': ['hi'], 'user_id': 'USER'}", "messages[0]"),
      request("POST", "/memories", "{'messages': [{'role': 5, 'content': 'x'}], 'user_id': 'USER'}",
        "messages[0].role"),
      request("POST", "/memories", "{'messages': [{'role': 'robot', 'content': 'x'}], 'user_id': 'USER'}",
        "messages[0].role"),
      request("POST", "/memories", "{'messages': [{'role': 'user', 'content': 5}], 'user_id': 'USER'}",
        "messages[0].content"),
      request("POST", "/memories", "{'messages': [{'role': 'user', 'content': {'text': 'x'}}], 'user_id': 'USER'}",
        "messages[0].content"),
      request("POST", "/memories", "{'messages': [{'role': 'user', 'content': []}], 'user_id': 'USER'}",
        "messages[0].content"),
      request("POST", "/memories", "{'messages': [{'role': 'user', 'content': 'x', 'name': 5}], 'user_id': 'USER'}",
        "messages[0].name"),
      request("POST", "/memories", "{'messages': 'x', 'user_id': 5}", "user_id"),
      request("POST", "/memories", "{'messages': 'x', 'user_id': ''}", "user_id"),
      request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'agent_id': true}", "agent_id"),
      request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'run_id': ['r']}", "run_id"),
      request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'metadata': 'm'}", "metadata"),
      request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'metadata': [1]}", "metadata"),
      request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'metadata': {'note': null}}",
        "metadata.note"),
      request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'infer': 'no'}", "infer"),
      request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'infer': null}", "infer"),
      request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'memory_type': 5}", "memory_type"),
      request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'memory_type': 'episodic'}",
        "memory_type"),
      request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'prompt': 5}", "prompt"),
      request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'timestamp': true}", "timestamp"),
      request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'timestamp': 'yesterday'}", "timestamp"),
      request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'timestamp': '2023-05-08'}", "timestamp"),
      request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'timestamp': -1}", "timestamp"),
      request("POST", "/memories", "{'messages': 'x', 'user_id': 'USER', 'timestamp': 1e13}", "timestamp"),
      request("POST", "/search", "{'user_id': 'USER'}", "query"),
      request("POST", "/search", "{'query': 5, 'user_id': 'USER'}", "query"),
      request("POST", "/search", "{'query': '  ', 'user_id': 'USER'}", "query"),
      request("POST", "/search", "{'query': 'x', 'user_id': 5}", "user_id"),
      request("POST", "/search", "{'query': 'x', 'user_id': 'USER', 'agent_id': 5}", "agent_id"),
      request("POST", "/search", "{'query': 'x', 'user_id': 'USER', 'limit': '5'}", "limit"),
      request("POST", "/search", "{'query': 'x', 'user_id': 'USER', 'limit': 0}", "limit"),
      request("POST", "/search", "{'query': 'x', 'user_id': 'USER', 'limit': -3}", "limit"),
      request("POST", "/search", "{'query': 'x', 'user_id': 'USER', 'limit': 2.5}", "limit"),
      request("POST", "/search", "{'query': 'x', 'user_id': 'USER', 'limit': 1001}", "limit"),
      request("POST", "/search", "{'query': 'x', 'user_id': 'USER', 'limit': 1e400}", "limit"),
      request("POST", "/search", "{'query': 'x', 'user_id': 'USER', 'top_k': 'ten'}", "top_k"),
      request("POST", "/search", "{'query': 'x', 'user_id': 'USER', 'top_k': 0}", "top_k"),
      request("POST", "/search", "{'query': 'x', 'user_id': 'USER', 'threshold': '0.5'}", "threshold"),
      request("POST", "/search", "{'query': 'x', 'user_id': 'USER', 'threshold': 1.5}", "threshold"),
      request("POST", "/search", "{'query': 'x', 'user_id': 'USER', 'threshold': -0.1}", "threshold"),
      request("POST", "/search", "{'query': 'x', 'user_id': 'USER', 'filters': 'x'}", "filters"),
      request("POST", "/search", "{'query': 'x', 'user_id': 'USER', 'mode': true}", "mode"),
      request("POST", "/search", "{'query': 'x', 'user_id': 'USER', 'mode': 'semantic'}", "mode"),
      request("POST", "/search", "{'query': 'x', 'user_id': 'USER', 'explain': 'yes'}", "explain"),
      request("PUT", "/memories/ID", "{'text': 5}", "text"),
      request("PUT", "/memories/ID", "{'text': ['a']}", "text"),
      request("PUT", "/memories/ID", "{'text': ''}", "text"),
      request("PUT", "/memories/ID", "{'metadata': 'm'}", "metadata"),
      request("PUT", "/memories/ID", "{'metadata': {'hash': 'x'}}", "metadata.hash"));
  }

  @ParameterizedTest(name = "GET /memories?{0} -> {1}")
  @MethodSource("badQueries")
  void aBadQueryParameterIsRefusedNamingIt(String query, String field) {
    Seeded seeded = seed();

    assertProblem(api.get("/memories?user_id=" + q(seeded.userId()) + "&" + query), 400, field);
    assertUnchanged(seeded);
  }

  static Stream<Arguments> badQueries() {
    return Stream.of(
      Arguments.of("limit=abc", "limit"),
      Arguments.of("limit=0", "limit"),
      Arguments.of("limit=2.5", "limit"),
      Arguments.of("limit=1001", "limit"),
      Arguments.of("top_k=-1", "top_k"),
      Arguments.of("agent_id=%20", "agent_id"));
  }

  @Test
  void anEraseWithABadScopeErasesNothing() {
    Seeded seeded = seed();

    assertProblem(api.delete("/memories?user_id=%20"), 400, "user_id");
    assertProblem(api.delete("/memories?user_id=" + q(seeded.userId()) + "&run_id=%07"), 400, "run_id");
    assertProblem(api.delete("/memories?user_id=" + q(seeded.userId() + "\u0000")), 400, "user_id");
    assertUnchanged(seeded);
  }

  // ---- routes ---------------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("unknownRoutes")
  void anUnknownRouteIsNotFound(String method, String path) {
    Seeded seeded = seed();

    assertProblem(api.sendRaw(method, path, "{}".getBytes(StandardCharsets.UTF_8), "application/json"), 404);
    assertUnchanged(seeded);
  }

  static Stream<Arguments> unknownRoutes() {
    return Stream.of(
      Arguments.of("GET", "/nope"),
      Arguments.of("GET", "/"),
      Arguments.of("POST", "/v1/memories/"),
      Arguments.of("GET", "/memories/abc/history/more"),
      Arguments.of("GET", "/v1/memories/abc/"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("wrongMethods")
  void aKnownRouteWithAnotherMethodIsNotAllowed(String method, String path) {
    Seeded seeded = seed();

    assertProblem(api.sendRaw(method, path.replace("ID", q(seeded.memoryId())), "{}".getBytes(
      StandardCharsets.UTF_8), "application/json"), 405);
    assertUnchanged(seeded);
  }

  static Stream<Arguments> wrongMethods() {
    return Stream.of(
      Arguments.of("PATCH", "/memories"),
      Arguments.of("PUT", "/memories"),
      Arguments.of("GET", "/search"),
      Arguments.of("PATCH", "/memories/ID"),
      Arguments.of("POST", "/memories/ID"),
      Arguments.of("DELETE", "/memories/ID/history"),
      Arguments.of("GET", "/reset"),
      Arguments.of("DELETE", "/reset"));
  }

  @Test
  void anIdLongerThanAnyIdIsRefusedNamingIt() {
    Seeded seeded = seed();
    String longId = "m".repeat(257);

    assertProblem(api.get("/memories/" + longId), 400, "memory_id");
    assertProblem(api.delete("/memories/" + longId), 400, "memory_id");
    assertProblem(api.put("/memories/" + longId, new JsonObject().put("text", "x")), 400, "memory_id");
    assertProblem(api.get("/memories/" + longId + "/history"), 400, "memory_id");
    assertUnchanged(seeded);
  }

  @Test
  void aRefusedRequestInTheMiddleOfABatchWritesNothing() {
    Seeded seeded = seed();
    JsonArray messages = conversation("I keep my bike in the shed", "I keep my car in the garage");
    messages.add(new JsonObject().put("role", "user").put("content", new JsonArray()
      .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "x")))));

    assertProblem(add(verbatim(user(seeded.userId()), messages)), 422, "messages[2].content[0]");
    assertUnchanged(seeded);
  }
}
