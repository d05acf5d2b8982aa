package dev.memgate.gateway.security;

import dev.memgate.gateway.testing.RawHttp;
import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.memgate.gateway.testing.Api.q;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A web page the user visits must not be able to change or read memories through the REST API of the default
 * set-up (loopback, no key): not with a "simple" cross-site POST a browser sends without asking, not from a foreign
 * origin, and not by re-pointing its own name at 127.0.0.1 (DNS rebinding). mem0 clients, which are not browsers,
 * keep working. A second service with an API key shows that these checks come before the key's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossSiteRequestTest {
  private static final String KEY = "mk-cross-site-0123456789";
  private RunningService service;
  private RunningService keyed;
  private Api api;
  private int port;

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore());
    keyed = RunningService.start(new LuceneStore(), Map.of("MEMGATE_API_KEY", KEY));
    api = service.api().http11();
    port = URI.create(service.api().base()).getPort();
  }

  @AfterAll
  void stop() {
    service.close();
    keyed.close();
  }

  private String rememberSomething() {
    String user = "cross-" + UUID.randomUUID();
    Reply added = api.post("/memories", new JsonObject().put("messages", "I keep the spare key under the mat")
      .put("user_id", user).put("infer", false));
    assertThat(added.status()).as(added.toString()).isEqualTo(200);
    return user;
  }

  private JsonArray memoriesOf(String user) {
    Reply listed = api.get("/memories?user_id=" + q(user));
    assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
    return listed.json().getJsonArray("results");
  }

  private static void assertProblem(int status, String contentType, String body, int expected) {
    assertThat(status).as(body).isEqualTo(expected);
    assertThat(contentType).startsWith("application/problem+json");
    JsonObject problem = new JsonObject(body);
    assertThat(problem.getInteger("status")).isEqualTo(expected);
    assertThat(problem.getInteger("code")).isEqualTo(expected * 10);
  }

  private static void assertProblem(Reply reply, int expected) {
    assertProblem(reply.status(), reply.header("Content-Type"), reply.text(), expected);
  }

  private static void assertProblem(RawHttp.Answer answer, int expected) {
    assertProblem(answer.status(), answer.header("Content-Type"), answer.body(), expected);
  }

  // ---- what a browser sends without a preflight ----------------------------------------------------------------

  /** The headers a cross-site form or fetch(..., {mode: "no-cors"}) may carry, and what Memgate must answer. */
  static Stream<Arguments> simpleCrossSiteResets() {
    return Stream.of(
      Arguments.of("text/plain, empty", "text/plain", "", null, null, 415),
      Arguments.of("text/plain;charset=UTF-8, JSON text", "text/plain;charset=UTF-8", "{}", null, null, 415),
      Arguments.of("a form", "application/x-www-form-urlencoded", "a=b", null, null, 415),
      Arguments.of("a multipart form", "multipart/form-data; boundary=x", "--x--\r\n", null, null, 415),
      Arguments.of("no content type, empty", null, "", null, null, 415),
      Arguments.of("text/plain from a foreign origin", "text/plain", "", "http://evil.example", "cross-site", 403),
      Arguments.of("a form from a foreign origin", "application/x-www-form-urlencoded", "", "https://evil.example",
        null, 403),
      Arguments.of("marked cross-site, without an origin", "text/plain", "", null, "cross-site", 403));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("simpleCrossSiteResets")
  void aSimpleCrossSiteResetErasesNothing(String name, String contentType, String body, String origin,
                                          String secFetchSite, int expected) {
    String user = rememberSomething();
    HttpRequest.Builder reset = HttpRequest.newBuilder(api.uri("/reset"))
      .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      reset.header("Content-Type", contentType);
    }
    if (origin != null) {
      reset.header("Origin", origin);
    }
    if (secFetchSite != null) {
      reset.header("Sec-Fetch-Site", secFetchSite);
    }

    assertProblem(api.send(reset), expected);
    assertThat(memoriesOf(user)).hasSize(1);
  }

  @Test
  void aForeignOriginCanNeitherReadNorWrite() {
    String user = rememberSomething();

    Reply read = api.send(HttpRequest.newBuilder(api.uri("/memories?user_id=" + q(user)))
      .header("Origin", "http://evil.example:8080").GET());
    Reply write = api.send(HttpRequest.newBuilder(api.uri("/memories")).header("Origin", "null")
      .header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("messages", "the mat is empty")
        .put("user_id", user).put("infer", false).encode())));
    Reply erase = api.send(HttpRequest.newBuilder(api.uri("/memories?user_id=" + q(user)))
      .header("Sec-Fetch-Site", "cross-site").DELETE());

    assertProblem(read, 403);
    assertThat(read.text()).doesNotContain("spare key");
    assertProblem(write, 403);
    assertThat(write.json().getString("field")).isEqualTo("Origin");
    assertProblem(erase, 403);
    assertThat(erase.json().getString("field")).isEqualTo("Sec-Fetch-Site");
    assertThat(memoriesOf(user)).hasSize(1);
  }

  // ---- DNS rebinding -------------------------------------------------------------------------------------------

  @Test
  void aRequestNamingAnotherHostIsRefused() {
    String user = rememberSomething();
    String add = new JsonObject().put("messages", "the mat is empty").put("user_id", user).put("infer", false)
      .encode();

    RawHttp.Answer read = RawHttp.send(port, "GET /memories?user_id=" + q(user) + " HTTP/1.1\r\n"
      + "Host: evil.example:" + port + "\r\n\r\n");
    RawHttp.Answer write = RawHttp.send(port, "POST /memories HTTP/1.1\r\nHost: evil.example:" + port + "\r\n"
      + "Content-Type: application/json\r\nContent-Length: " + add.getBytes(StandardCharsets.UTF_8).length
      + "\r\n\r\n" + add);
    RawHttp.Answer reset = RawHttp.send(port, "POST /reset HTTP/1.1\r\nHost: rebound.example\r\n"
      + "Content-Type: application/json\r\nContent-Length: 0\r\n\r\n");

    for (RawHttp.Answer answer : new RawHttp.Answer[] {read, write, reset}) {
      assertProblem(answer, 400);
      assertThat(answer.json().getString("field")).isEqualTo("Host");
      assertThat(answer.json().getString("detail")).contains("Host");
    }
    assertThat(read.body()).doesNotContain("spare key");
    assertThat(memoriesOf(user)).hasSize(1);
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"HTTP/1.1\r\n", "HTTP/1.0\r\n", "HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n",
    "HTTP/1.1\r\nHost: \r\n", "HTTP/1.1\r\nHost: local host\r\n", "HTTP/1.1\r\nHost: [zz\r\n",
    "HTTP/1.1\r\nHost: localhost:99999\r\n", "HTTP/1.1\r\nHost: user@localhost\r\n"})
  void aRequestWithoutOneValidHostIsRefusedNamingIt(String versionAndHost) {
    RawHttp.Answer answer = RawHttp.send(port, "GET /health " + versionAndHost + "\r\n");

    assertProblem(answer, 400);
    assertThat(answer.json().getString("field")).isEqualTo("Host");
  }

  @ParameterizedTest(name = "Host: {0}")
  @ValueSource(strings = {"localhost", "localhost:PORT", "127.0.0.1:PORT", "LocalHost:PORT", "localhost.:PORT",
    "[::1]:PORT"})
  void theLoopbackNamesAreAnswered(String host) {
    RawHttp.Answer answer = RawHttp.send(port, "GET /health HTTP/1.1\r\nHost: " + host.replace("PORT",
      String.valueOf(port)) + "\r\n\r\n");

    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    assertThat(answer.json().getString("status")).isEqualTo("UP");
  }

  // ---- before the body, before the key -------------------------------------------------------------------------

  @Test
  void aRefusedRequestIsAnsweredWithoutWaitingForItsBody() {
    // Each announces half a megabyte and sends none of it: only a server that does not read the body answers.
    RawHttp.Answer wrongType = RawHttp.send(port, "POST /memories HTTP/1.1\r\nHost: localhost\r\n"
      + "Content-Type: text/plain\r\nContent-Length: 500000\r\n\r\n");
    RawHttp.Answer foreign = RawHttp.send(port, "POST /memories HTTP/1.1\r\nHost: localhost\r\n"
      + "Origin: http://evil.example\r\nContent-Type: application/json\r\nContent-Length: 500000\r\n\r\n");
    RawHttp.Answer rebound = RawHttp.send(port, "POST /memories HTTP/1.1\r\nHost: evil.example\r\n"
      + "Content-Type: application/json\r\nContent-Length: 500000\r\n\r\n");

    assertProblem(wrongType, 415);
    assertProblem(foreign, 403);
    assertProblem(rebound, 400);
  }

  @Test
  void theseChecksComeBeforeTheApiKey() {
    Api keyedApi = keyed.api().http11();
    int keyedPort = URI.create(keyedApi.base()).getPort();

    Reply foreign = keyedApi.send(HttpRequest.newBuilder(keyedApi.uri("/health"))
      .header("Origin", "http://evil.example").GET());
    RawHttp.Answer rebound = RawHttp.send(keyedPort, "GET /health HTTP/1.1\r\nHost: evil.example\r\n\r\n");
    Reply wrongTypeWithKey = keyedApi.send(HttpRequest.newBuilder(keyedApi.uri("/reset")).header("X-API-Key", KEY)
      .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.noBody()));

    assertProblem(foreign, 403);
    assertProblem(rebound, 400);
    assertProblem(wrongTypeWithKey, 415);
    assertProblem(keyedApi.get("/memories?user_id=x"), 401);
  }

  // ---- mem0 clients --------------------------------------------------------------------------------------------

  @Test
  void clientsThatAreNotBrowsersKeepWorking() {
    String user = rememberSomething();

    Reply charset = api.postRaw("/memories", new JsonObject().put("messages", "I water the plants on Sundays")
      .put("user_id", user).put("infer", false).encode().getBytes(StandardCharsets.UTF_8),
      "application/json; charset=utf-8");
    Reply search = api.post("/search", new JsonObject().put("query", "plants").put("user_id", user));
    Reply allowedOrigin = api.send(HttpRequest.newBuilder(api.uri("/memories?user_id=" + q(user)))
      .header("Origin", "http://localhost:3000").header("Sec-Fetch-Site", "same-site").GET());
    Reply sameOrigin = api.send(HttpRequest.newBuilder(api.uri("/health")).header("Sec-Fetch-Site", "same-origin")
      .GET());
    Reply typedIn = api.send(HttpRequest.newBuilder(api.uri("/health")).header("Sec-Fetch-Site", "none").GET());
    Reply overHttp2 = service.api().get("/memories?user_id=" + q(user));

    assertThat(charset.status()).as(charset.toString()).isEqualTo(200);
    assertThat(search.status()).as(search.toString()).isEqualTo(200);
    assertThat(allowedOrigin.status()).as(allowedOrigin.toString()).isEqualTo(200);
    assertThat(allowedOrigin.json().getJsonArray("results")).hasSize(2);
    assertThat(sameOrigin.status()).isEqualTo(200);
    assertThat(typedIn.status()).isEqualTo(200);
    assertThat(overHttp2.status()).as(overHttp2.toString()).isEqualTo(200);
    assertThat(api.delete("/memories?user_id=" + q(user)).status()).isEqualTo(200);
    assertThat(memoriesOf(user)).isEmpty();
  }

  @Test
  void aJsonResetWithAnEmptyBodyStillResets() {
    String user = rememberSomething();

    Reply reset = api.postRaw("/reset", new byte[0], "application/json");

    assertThat(reset.status()).as(reset.toString()).isEqualTo(200);
    assertThat(memoriesOf(user)).isEmpty();
  }
}
