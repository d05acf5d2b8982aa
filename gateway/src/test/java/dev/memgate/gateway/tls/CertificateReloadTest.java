package dev.memgate.gateway.tls;

import dev.memgate.gateway.http.HttpVerticle;
import dev.memgate.gateway.testing.Eventually;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.TestPki;
import dev.memgate.mcp.McpVerticle;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A renewed certificate written over the configured files is served to new connections within a reload interval,
 * on both listeners, without a restart; a renewal that does not work (a key that is not the certificate's) is
 * logged once and the certificate in force stays.
 */
class CertificateReloadTest {
  private static final long FIRST = 0x1001;
  private static final long RENEWED = 0x2002;
  private static final int INTERVAL_MS = 200;

  private Path dir;
  private TestPki pki;
  private TestPki.Authority ca;
  private TestPki.Pair served;
  private RunningService service;
  private LogLines log;

  @BeforeEach
  void start() throws IOException {
    dir = Files.createTempDirectory("memgate-reload-");
    pki = new TestPki(dir);
    ca = pki.authority("Memgate Test CA");
    served = pki.copy(pki.server(ca, FIRST));
    log = LogLines.open();
    service = RunningService.start(new LuceneStore(), Map.of(
      "MEMGATE_TLS_CERT", served.cert().toString(),
      "MEMGATE_TLS_KEY", served.key().toString(),
      "MEMGATE_TLS_RELOAD_INTERVAL_MS", Integer.toString(INTERVAL_MS),
      // Several REST instances share one socket: the renewal must reach it once, and be logged once.
      "MEMGATE_HTTP_INSTANCES", "2"));
  }

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
    if (log != null) {
      log.close();
    }
    RunningService.deleteTree(dir);
  }

  private String rest() {
    return "https://127.0.0.1:" + HttpVerticle.actualPort(service.vertx());
  }

  private String mcp() {
    return "https://127.0.0.1:" + McpVerticle.actualPort(service.vertx());
  }

  /** The serial of the certificate a new connection is served (a new client: no pooled connection). */
  private BigInteger servedSerial(String base) {
    try {
      HttpResponse<String> response = TestPki.client(ca, null, HttpClient.Version.HTTP_1_1).send(
        HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
      return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private JsonObject tlsHealth() {
    try {
      HttpResponse<String> response = TestPki.client(ca, null, HttpClient.Version.HTTP_1_1).send(
        HttpRequest.newBuilder(URI.create(rest() + "/health")).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
      return new JsonObject(response.body()).getJsonObject("components").getJsonObject("tls");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aRenewedCertificateIsServedToNewConnectionsWithoutARestart() {
    assertThat(servedSerial(rest())).isEqualTo(BigInteger.valueOf(FIRST));
    assertThat(servedSerial(mcp())).isEqualTo(BigInteger.valueOf(FIRST));

    TestPki.install(pki.server(ca, RENEWED), served);

    for (String base : new String[] {rest(), mcp()}) {
      Eventually.await(Duration.ofSeconds(60), () -> servedSerial(base).equals(BigInteger.valueOf(RENEWED)),
        () -> base + " still serves " + servedSerial(base).toString(16));
    }
    JsonObject health = tlsHealth();
    assertThat(health.getJsonObject("rest").getString("serial")).isEqualTo(Long.toHexString(RENEWED));
    assertThat(health.getJsonObject("rest").getLong("reloads")).isEqualTo(1L);
    assertThat(log.lines("dev.memgate.edge.tls.ListenerTls").stream()
      .filter(line -> line.startsWith("rest now serves the renewed TLS certificate"))).hasSize(1);
  }

  @Test
  void aRenewalThatDoesNotWorkIsLoggedOnceAndTheCertificateInForceStays() throws InterruptedException {
    assertThat(servedSerial(rest())).isEqualTo(BigInteger.valueOf(FIRST));
    TestPki.Pair other = pki.server(ca, RENEWED);
    // The renewed certificate with the old key: a pair that cannot work.
    TestPki.install(new TestPki.Pair(other.cert(), served.key()), served);

    Eventually.await(Duration.ofSeconds(60), () -> tlsHealth().getJsonObject("rest").containsKey("reload_error"),
      () -> "no reload error shown: " + tlsHealth());
    Thread.sleep(10L * INTERVAL_MS);
    assertThat(servedSerial(rest())).isEqualTo(BigInteger.valueOf(FIRST));
    assertThat(servedSerial(mcp())).isEqualTo(BigInteger.valueOf(FIRST));
    assertThat(tlsHealth().getJsonObject("rest").getString("reload_error"))
      .contains("tls.key_file").contains("is not the key of the certificate");
    for (String listener : new String[] {"rest", "mcp"}) {
      assertThat(log.lines("dev.memgate.edge.tls.ListenerTls").stream()
        .filter(line -> line.startsWith(listener + " keeps its TLS certificate"))).as(listener).hasSize(1);
    }

    // Fixing the files is picked up as any renewal.
    TestPki.install(other, served);
    Eventually.await(Duration.ofSeconds(60), () -> servedSerial(rest()).equals(BigInteger.valueOf(RENEWED)),
      () -> "the fixed renewal was not taken");
    Eventually.await(Duration.ofSeconds(60), () -> !tlsHealth().getJsonObject("rest").containsKey("reload_error"),
      () -> "the reload error is still shown");
  }
}
