package dev.memgate.gateway.tls;

import dev.memgate.gateway.http.HttpVerticle;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.TestPki;
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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With client certificates requested but not required, a client without one is served; one that presents a
 * certificate must present one the configured CA signed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OptionalClientCertificateTest {
  private Path dir;
  private TestPki.Authority ca;
  private TestPki.Pair trustedClient;
  private TestPki.Pair strangerClient;
  private RunningService service;
  private String rest;

  @BeforeAll
  void start() throws IOException {
    dir = Files.createTempDirectory("memgate-mtls-request-");
    TestPki pki = new TestPki(dir);
    ca = pki.authority("Memgate Test CA");
    TestPki.Pair server = pki.server(ca, 0x52);
    trustedClient = pki.client(ca, "reporting-job");
    strangerClient = pki.client(pki.authority("Someone Else's CA"), "reporting-job");
    service = RunningService.start(new LuceneStore(), Map.of(
      "MEMGATE_TLS_CERT", server.cert().toString(),
      "MEMGATE_TLS_KEY", server.key().toString(),
      "MEMGATE_TLS_CLIENT_AUTH", "request",
      "MEMGATE_TLS_CLIENT_CA", ca.cert().toString()));
    rest = "https://127.0.0.1:" + HttpVerticle.actualPort(service.vertx());
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
    RunningService.deleteTree(dir);
  }

  private int health(TestPki.Pair client) throws IOException, InterruptedException {
    HttpResponse<String> response = TestPki.client(ca, client, HttpClient.Version.HTTP_1_1).send(
      HttpRequest.newBuilder(URI.create(rest + "/health")).timeout(Duration.ofSeconds(30)).build(),
      HttpResponse.BodyHandlers.ofString());
    return response.statusCode();
  }

  @Test
  void aClientWithoutACertificateIsServed() throws IOException, InterruptedException {
    assertThat(health(null)).isEqualTo(200);
  }

  @Test
  void aClientWithACertificateOfTheCaIsServed() throws IOException, InterruptedException {
    assertThat(health(trustedClient)).isEqualTo(200);
  }

  @Test
  void aCertificateFromAnotherCaIsRefused() {
    assertThatThrownBy(() -> health(strangerClient)).isInstanceOf(IOException.class);
  }
}
