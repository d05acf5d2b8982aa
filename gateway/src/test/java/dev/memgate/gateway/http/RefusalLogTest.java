package dev.memgate.gateway.http;

import dev.memgate.gateway.testing.RawHttp;
import dev.memgate.gateway.testing.Eventually;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client sending bad requests cannot fill the disk: the real process logs one short line per refused request,
 * never a stack trace, and no more than a few lines a second however fast the requests come.
 */
class RefusalLogTest {
  /** RefusalLog's budget: a burst of 20 lines, then 5 a second. */
  private static final int BURST = 20;
  private static final int LINES_PER_SECOND = 5;

  /** A bad request, and the line it must leave in the log. */
  private record Bad(String request, String line) {
  }

  private static String post(String path, String contentType, String body) {
    return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType + "\r\nContent-Length: "
      + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  private static String get(String target, String headers) {
    return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n";
  }

  private static final List<Bad> KINDS = List.of(
    new Bad(post("/memories", "application/json", "{bad json"), "POST /memories from 127.0.0.1: 400"),
    new Bad(post("/memories", "application/json", "{\"messages\": 1, \"user_id\": \"u\"}"),
      "POST /memories from 127.0.0.1: 400"),
    new Bad(post("/search", "application/json", "{\"query\": \"x\", \"user_id\": \"u\", \"filters\": "
      + "{\"a\": {\"$bogus\": 1}}}"), "POST /search from 127.0.0.1: 400"),
    new Bad(get("/memories", ""), "GET /memories from 127.0.0.1: 400"),
    new Bad(get("/memories/%zz", ""), "GET /memories/%zz from 127.0.0.1: 400"),
    new Bad(get("/health", "X-Big: " + "a".repeat(17_000) + "\r\n"), "(unreadable request) from 127.0.0.1: 431"),
    new Bad(get("/health?" + "a".repeat(9_000), ""), "(unreadable request) from 127.0.0.1: 414"),
    new Bad("GET /health HTTP/1.1\r\nHost: evil.example\r\n\r\n", "GET /health from 127.0.0.1: 400"),
    new Bad(post("/reset", "text/plain", ""), "POST /reset from 127.0.0.1: 415"),
    new Bad("GET /health HTTP/1.x\r\nHost: localhost\r\n\r\n", "(unreadable request) from 127.0.0.1: 400"),
    new Bad(get("/health", "Origin: http://evil.example\r\n"), "GET /health from 127.0.0.1: 403"),
    new Bad(get("/nope", ""), "GET /nope from 127.0.0.1: 404"),
    new Bad("POST /search HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
      + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", "POST /search from 127.0.0.1: 400"));

  @Test
  void badRequestsLeaveOneShortLineEachAndNeverATrace() throws IOException, InterruptedException {
    Path dataDir = Files.createTempDirectory("memgate-refusals-");
    try (ServiceProcess process = ServiceProcess.start(Map.of("MEMGATE_DATA_DIR", dataDir.toString(),
      "MEMGATE_HTTP_PORT", "0", "GRAPH_STORE", "none", "VECTOR_STORE", "lucene"))) {
      int port = process.awaitServing();
      int before = lines(process).size();
      long started = System.nanoTime();

      for (Bad bad : KINDS) {
        RawHttp.send(port, bad.request());
      }
      Eventually.await(Duration.ofSeconds(20), () -> added(process, before).size() >= KINDS.size(),
        () -> String.join("\n", added(process, before)));
      List<String> first = added(process, before);
      for (int i = 0; i < KINDS.size(); i++) {
        assertThat(first.get(i)).contains("refused rest " + KINDS.get(i).line());
      }

      for (int round = 0; round < 25; round++) {
        for (Bad bad : KINDS) {
          RawHttp.send(port, bad.request());
        }
        // and a client that gives up half-way through its body
        RawHttp.sendAndHangUp(port, "POST /memories HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
          + "\r\nContent-Length: 100\r\n\r\n{\"messag");
      }
      // Once a refusal sent after the flood is logged, every line of the flood has been written before it.
      String marker = "/after-the-flood-" + UUID.randomUUID();
      Eventually.await(Duration.ofSeconds(30), () -> {
        RawHttp.send(port, get(marker, ""));
        return process.stderr().contains(marker);
      }, () -> "no line for " + marker);
      double seconds = (System.nanoTime() - started) / 1e9;

      List<String> added = added(process, before);
      assertThat(added).allSatisfy(line -> {
        assertThat(line).contains(" refused rest ");
        assertThat(line).doesNotContain("Exception").doesNotStartWith("\tat ").doesNotStartWith("Caused by");
        assertThat(line.length()).isLessThan(300);
      });
      assertThat(added.size()).as("%d lines for %d refusals in %.1f s", added.size(), 26 * KINDS.size(), seconds)
        .isLessThanOrEqualTo(BURST + (int) Math.ceil(LINES_PER_SECOND * seconds) + 1);
      // The first line after the flood says how many refusals the budget left out.
      assertThat(added.stream().filter(line -> line.contains(marker)).findFirst().orElseThrow())
        .containsPattern("\\(\\d+ more refusals not logged\\)");
      assertThat(RawHttp.send(port, get("/health", "")).status()).isEqualTo(200);
    } finally {
      RunningService.deleteTree(dataDir);
    }
  }

  private static List<String> lines(ServiceProcess process) {
    return Arrays.asList(process.stderr().split("\n"));
  }

  private static List<String> added(ServiceProcess process, int before) {
    List<String> all = lines(process);
    return all.subList(Math.min(before, all.size()), all.size());
  }
}
