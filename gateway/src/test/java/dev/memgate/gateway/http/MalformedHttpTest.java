package dev.memgate.gateway.http;

import dev.memgate.gateway.testing.RawHttp;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.RunningService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests the HTTP layer itself cannot read, sent byte for byte on a socket: each gets a 4xx
 * {@code application/problem+json} with a stable code, never a 5xx or an empty body, and the service goes on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedHttpTest {
  private RunningService service;
  private int port;

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore());
    port = URI.create(service.api().base()).getPort();
  }

  @AfterAll
  void stop() {
    service.close();
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
      Arguments.of("a malformed version", "GET /health HTTP/1.x\r\nHost: localhost\r\n\r\n", 400),
      Arguments.of("HTTP/2.0 in a request line", "GET /health HTTP/2.0\r\nHost: localhost\r\n\r\n", 400),
      Arguments.of("HTTP/3.1 in a request line", "GET /health HTTP/3.1\r\nHost: localhost\r\n\r\n", 400),
      Arguments.of("another protocol", "GET /health FOO/1.1\r\nHost: localhost\r\n\r\n", 400),
      Arguments.of("no Host", "GET /health HTTP/1.1\r\n\r\n", 400),
      Arguments.of("an invalid Host", "GET /health HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
      Arguments.of("an unterminated IPv6 Host", "GET /health HTTP/1.1\r\nHost: [::1\r\n\r\n", 400),
      Arguments.of("a request line over the limit", "GET /health?q=" + "a".repeat(9_000)
        + " HTTP/1.1\r\nHost: localhost\r\n\r\n", 414),
      Arguments.of("headers over the limit", "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: "
        + "a".repeat(17_000) + "\r\n\r\n", 431),
      Arguments.of("%zz in the path", "GET /memories/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n", 400),
      Arguments.of("a cut escape in the path", "GET /memories/ab% HTTP/1.1\r\nHost: localhost\r\n\r\n", 400),
      Arguments.of("%zz in the query", "GET /memories?user_id=%zz HTTP/1.1\r\nHost: localhost\r\n\r\n", 400),
      Arguments.of("bytes that are not HTTP", "\u0001\u0002 garbage\r\n\r\n", 400),
      Arguments.of("a method with a bad character", "G@T /health HTTP/1.1\r\nHost: localhost\r\n\r\n", 400),
      Arguments.of("a header line without a colon", "GET /health HTTP/1.1\r\nHost: localhost\r\nno colon\r\n\r\n",
        400),
      Arguments.of("a Content-Length that is not a number", "POST /search HTTP/1.1\r\nHost: localhost\r\n"
        + "Content-Type: application/json\r\nContent-Length: abc\r\n\r\n", 400),
      Arguments.of("a path that does not start with /", "GET health HTTP/1.1\r\nHost: localhost\r\n\r\n", 404));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void isAProblemWithAStableCode(String name, String request, int expected) {
    RawHttp.Answer answer = RawHttp.send(port, request);

    assertThat(answer.status()).as(answer.toString()).isEqualTo(expected);
    assertThat(answer.statusLine()).startsWith("HTTP/1.");
    assertThat(answer.header("Content-Type")).as(answer.toString()).startsWith("application/problem+json");
    assertThat(answer.json().getInteger("status")).isEqualTo(expected);
    assertThat(answer.json().getInteger("code")).isEqualTo(expected * 10);
    assertThat(answer.json().getString("detail")).isNotBlank();
    assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ");
    assertHealthy();
  }

  @Test
  void aNewerHttp1MinorVersionIsServedAsHttp11() {
    // RFC 9112, 2.3: a server reads a higher minor version of a major version it speaks as the highest it knows.
    RawHttp.Answer answer = RawHttp.send(port, "GET /health HTTP/1.2\r\nHost: localhost\r\n\r\n");

    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    assertThat(answer.statusLine()).startsWith("HTTP/1.1 200");
  }

  @Test
  void aBrokenChunkedBodyIsNeverAServerError() {
    RawHttp.Answer answer = RawHttp.send(port, "POST /search HTTP/1.1\r\nHost: localhost\r\n"
      + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");

    // The connection cannot be read past the bad chunk: either a 400 problem or the connection closes unanswered.
    if (answer.status() != 0) {
      assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
      assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    }
    assertHealthy();
  }

  private void assertHealthy() {
    RawHttp.Answer health = RawHttp.send(port, "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assertThat(health.status()).as(health.toString()).isEqualTo(200);
  }
}
