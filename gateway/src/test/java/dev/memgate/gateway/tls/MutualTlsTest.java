package dev.memgate.gateway.tls;

import dev.memgate.gateway.http.HttpVerticle;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.TestPki;
import dev.memgate.mcp.McpVerticle;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With client certificates required (service-to-service set-ups), a client is served only when it presents a
 * certificate signed by the configured CA: without one, or with one from another CA, its handshake fails, on both
 * listeners.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MutualTlsTest {
  private Path dir;
  private TestPki.Authority ca;
  private TestPki.Authority otherCa;
  private TestPki.Pair trustedClient;
  private TestPki.Pair strangerClient;
  private RunningService service;
  private LogLines log;
  private List<String> bases;

  @BeforeAll
  void start() throws IOException {
    dir = Files.createTempDirectory("memgate-mtls-");
    TestPki pki = new TestPki(dir);
    ca = pki.authority("Memgate Test CA");
    TestPki.Authority clientCa = pki.authority("Memgate Clients CA");
    otherCa = pki.authority("Someone Else's CA");
    TestPki.Pair server = pki.server(ca, 0x51);
    trustedClient = pki.client(clientCa, "billing-service");
    strangerClient = pki.client(otherCa, "billing-service");
    log = LogLines.open();
    service = RunningService.start(new LuceneStore(), Map.of(
      "MEMGATE_TLS_CERT", server.cert().toString(),
      "MEMGATE_TLS_KEY", server.key().toString(),
      "MEMGATE_TLS_CLIENT_AUTH", "required",
      "MEMGATE_TLS_CLIENT_CA", clientCa.cert().toString()));
    bases = List.of("https://127.0.0.1:" + HttpVerticle.actualPort(service.vertx()),
      "https://127.0.0.1:" + McpVerticle.actualPort(service.vertx()));
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
    if (log != null) {
      log.close();
    }
    RunningService.deleteTree(dir);
  }

  private static HttpResponse<String> health(HttpClient client, String base) throws IOException,
    InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(30)).build(),
      HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aClientWithoutACertificateIsRefusedInTheHandshake() {
    for (HttpClient.Version version : HttpClient.Version.values()) {
      HttpClient anonymous = TestPki.client(ca, null, version);
      for (String base : bases) {
        assertThatThrownBy(() -> health(anonymous, base)).as(base + " " + version).isInstanceOf(IOException.class);
      }
    }
  }

  @Test
  void aCertificateFromAnotherCaIsRefused() {
    HttpClient stranger = TestPki.client(ca, strangerClient, HttpClient.Version.HTTP_1_1);
    for (String base : bases) {
      assertThatThrownBy(() -> health(stranger, base)).as(base).isInstanceOf(IOException.class);
    }
  }

  @Test
  void aCertificateFromTheConfiguredCaIsServedOnBothListeners() throws IOException, InterruptedException {
    for (HttpClient.Version version : HttpClient.Version.values()) {
      HttpClient trusted = TestPki.client(ca, trustedClient, version);
      HttpResponse<String> rest = health(trusted, bases.get(0));
      assertThat(rest.statusCode()).isEqualTo(200);
      assertThat(rest.version()).isEqualTo(version);
      assertThat(new JsonObject(rest.body()).getJsonObject("components").getJsonObject("tls")
        .getJsonObject("rest").getString("client_auth")).isEqualTo("required");
    }
    McpHttp mcp = new McpHttp(bases.get(1), TestPki.client(ca, trustedClient, HttpClient.Version.HTTP_1_1));
    String session = mcp.open();
    assertThat(mcp.call(session, "ping", null).getJsonObject("result")).isNotNull();
  }

  @Test
  void aRefusedHandshakeIsOneShortLineSayingWhyWithoutATrace() {
    assertThatThrownBy(() -> health(TestPki.client(ca, strangerClient, HttpClient.Version.HTTP_1_1), bases.get(0)))
      .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> health(TestPki.client(ca, null, HttpClient.Version.HTTP_1_1), bases.get(1)))
      .isInstanceOf(IOException.class);
    assertThat(log.lines("memgate.refused")).contains(
      "refused rest TLS handshake from a client: 0 the client certificate is not signed by a CA of "
        + "tls.client_ca_file (or has expired)",
      "refused mcp TLS handshake from a client: 0 no client certificate (tls.client_auth is required)");
    assertThat(log.traces()).isEmpty();
  }
}
