package dev.memgate.gateway.tls;

import dev.memgate.gateway.http.HttpVerticle;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.McpWebSocket;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.TestPki;
import dev.memgate.mcp.McpVerticle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With a certificate configured, both listeners speak only HTTPS / WSS: a client that trusts the certificate adds
 * and searches over REST, speaks MCP over Streamable HTTP and WebSocket, gets HTTP/2 when it offers it and HTTP/1.1
 * otherwise; a cleartext client gets nothing; the start-up line and /health say so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsListenersTest {
  private static final long SERIAL = 0x1001;

  private Path dir;
  private TestPki.Authority ca;
  private RunningService service;
  private LogLines log;
  private String rest;
  private String mcp;

  @BeforeAll
  void start() throws IOException {
    dir = Files.createTempDirectory("memgate-tls-");
    TestPki pki = new TestPki(dir);
    ca = pki.authority("Memgate Test CA");
    TestPki.Pair server = pki.server(ca, SERIAL);
    log = LogLines.open();
    service = RunningService.start(new LuceneStore(), Map.of("MEMGATE_TLS_CERT", server.cert().toString(),
      "MEMGATE_TLS_KEY", server.key().toString()));
    rest = "https://127.0.0.1:" + HttpVerticle.actualPort(service.vertx());
    mcp = "https://127.0.0.1:" + McpVerticle.actualPort(service.vertx());
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

  private HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
    try {
      return client.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpRequest.Builder post(String url, JsonObject body) {
    return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
  }

  @Test
  void aClientThatTrustsTheCertificateAddsAndSearchesOverHttps() throws IOException {
    HttpClient client = TestPki.client(ca, null, HttpClient.Version.HTTP_1_1);
    HttpResponse<String> added = send(client, post(rest + "/memories", new JsonObject()
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content",
        "I keep my bicycle in the blue shed")))
      .put("user_id", "tls-alice").put("infer", false)));
    assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
    HttpResponse<String> found = send(client, post(rest + "/search", new JsonObject()
      .put("query", "Where is the bicycle kept?").put("user_id", "tls-alice")));
    assertThat(found.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(found.body()).getJsonArray("results").getJsonObject(0).getString("memory"))
      .isEqualTo("I keep my bicycle in the blue shed");
    X509Certificate served = (X509Certificate) found.sslSession().orElseThrow().getPeerCertificates()[0];
    assertThat(served.getSerialNumber().longValue()).isEqualTo(SERIAL);
  }

  @Test
  void http2IsNegotiatedThroughAlpnWhenTheClientOffersIt() {
    HttpResponse<String> h2 = send(TestPki.client(ca, null, HttpClient.Version.HTTP_2),
      HttpRequest.newBuilder(URI.create(rest + "/health")).GET());
    assertThat(h2.statusCode()).isEqualTo(200);
    assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
    HttpResponse<String> h1 = send(TestPki.client(ca, null, HttpClient.Version.HTTP_1_1),
      HttpRequest.newBuilder(URI.create(rest + "/health")).GET());
    assertThat(h1.statusCode()).isEqualTo(200);
    assertThat(h1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);

    HttpResponse<String> mcpH2 = send(TestPki.client(ca, null, HttpClient.Version.HTTP_2),
      post(mcp + "/mcp", McpHttp.request(1, "initialize", McpHttp.initializeParams("2025-11-25")))
        .header("Accept", "application/json, text/event-stream"));
    assertThat(mcpH2.statusCode()).isEqualTo(200);
    assertThat(mcpH2.version()).isEqualTo(HttpClient.Version.HTTP_2);
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsRefused() {
    HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(URI.create(rest + "/health")).build(),
      HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
  }

  @Test
  void plainHttpToTheTlsPortsGetsNoAnswer() throws IOException {
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1).build();
    for (String base : List.of(rest, mcp)) {
      String cleartext = base.replace("https://", "http://");
      assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create(cleartext + "/health"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
        .as(cleartext).isInstanceOf(IOException.class);
    }
    // Byte for byte: the server closes without writing an HTTP answer (nothing readable as "HTTP/1.1 ...").
    URI uri = URI.create(rest);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: secret-in-cleartext\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] answer = in.readNBytes(64);
      assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotStartWith("HTTP/");
    } catch (java.net.SocketException reset) {
      // A reset is as good as a close: no answer.
    }
    assertThat(log.text()).doesNotContain("secret-in-cleartext");
  }

  @Test
  void mcpSpeaksStreamableHttpOverHttpsAndWebSocketOverWss() {
    McpHttp http = new McpHttp(mcp, TestPki.client(ca, null, HttpClient.Version.HTTP_1_1));
    String session = http.open();
    JsonObject listed = http.call(session, "tools/list", null);
    assertThat(listed.getJsonObject("result").getJsonArray("tools")).isNotEmpty();

    String wss = mcp.replace("https://", "wss://") + "/mcp/ws";
    try (McpWebSocket socket = McpWebSocket.connect(TestPki.client(ca, null, HttpClient.Version.HTTP_1_1), wss,
      Map.of())) {
      assertThat(socket.subprotocol()).isEqualTo("mcp");
      JsonObject initialized = socket.call(McpHttp.request(1, "initialize",
        McpHttp.initializeParams("2025-11-25")));
      assertThat(initialized.getJsonObject("result").getJsonObject("serverInfo").getString("name"))
        .isNotBlank();
    }
  }

  @Test
  void healthShowsTheCertificateButNeverTheKey() throws IOException {
    HttpResponse<String> health = send(TestPki.client(ca, null, HttpClient.Version.HTTP_1_1),
      HttpRequest.newBuilder(URI.create(rest + "/health")).GET());
    JsonObject tls = new JsonObject(health.body()).getJsonObject("components").getJsonObject("tls");
    assertThat(tls.getString("status")).isEqualTo("UP");
    for (String listener : List.of("rest", "mcp")) {
      JsonObject certificate = tls.getJsonObject(listener);
      assertThat(certificate.getString("subject")).isEqualTo("CN=localhost");
      assertThat(certificate.getString("serial")).isEqualTo(Long.toHexString(SERIAL));
      assertThat(certificate.getString("not_after")).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
      assertThat(certificate.getString("client_auth")).isEqualTo("none");
    }
    String key = Files.readString(Path.of(new JsonObject(health.body()).getJsonObject("config")
      .getJsonObject("tls").getString("key_file")));
    String keyBody = key.lines().filter(line -> !line.startsWith("-----")).findFirst().orElseThrow();
    assertThat(health.body()).doesNotContain(keyBody).doesNotContain("PRIVATE KEY");
    assertThat(log.text()).doesNotContain(keyBody);
  }

  @Test
  void theStartUpLineNamesHttpsUrls() {
    assertThat(log.lines("dev.memgate.gateway.GatewayVerticle")).anySatisfy(line -> assertThat(line)
      .startsWith("Memgate is serving REST on https://127.0.0.1:")
      .contains(", MCP on https://127.0.0.1:"));
  }
}
