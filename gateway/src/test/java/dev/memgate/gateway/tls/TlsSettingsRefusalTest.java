package dev.memgate.gateway.tls;

import dev.memgate.gateway.config.ConfigurationException;
import dev.memgate.gateway.config.Settings;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.ServiceProcess;
import dev.memgate.gateway.testing.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TLS set-up that cannot work stops start-up with one line naming the setting to change (exit code 2), instead of
 * serving cleartext or failing every client's handshake later.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsSettingsRefusalTest {
  private Path dir;
  private TestPki.Authority ca;
  private TestPki.Pair server;
  private TestPki.Pair another;

  @BeforeAll
  void certificates() throws IOException {
    dir = Files.createTempDirectory("memgate-tls-refusal-");
    TestPki pki = new TestPki(dir);
    ca = pki.authority("Memgate Test CA");
    server = pki.server(ca, 1);
    another = pki.server(ca, 2);
  }

  @AfterAll
  void removeCertificates() {
    RunningService.deleteTree(dir);
  }

  private static String refusal(Map<String, String> env) {
    ConfigurationException refused = (ConfigurationException) org.assertj.core.api.Assertions.catchThrowable(
      () -> Settings.load(env, null));
    assertThat(refused).as("refused").isNotNull();
    assertThat(refused.getMessage()).doesNotContain("\n");
    return refused.getMessage();
  }

  private Map<String, String> tls(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void aCertificateWithoutItsKeyIsRefused() {
    assertThat(refusal(tls("MEMGATE_TLS_CERT", server.cert().toString())))
      .startsWith("MEMGATE_TLS_KEY (tls.key_file) is empty but a certificate is given");
    assertThat(refusal(tls("MEMGATE_TLS_KEY", server.key().toString())))
      .startsWith("MEMGATE_TLS_CERT (tls.cert_file) is empty but a private key is given");
  }

  @Test
  void aMissingOrUnreadableFileIsRefusedNamingIt() throws IOException {
    assertThat(refusal(tls("MEMGATE_TLS_CERT", dir.resolve("nope.pem").toString(), "MEMGATE_TLS_KEY",
      server.key().toString())))
      .isEqualTo("MEMGATE_TLS_CERT (tls.cert_file) = " + dir.resolve("nope.pem") + ": no such file");
    Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "hello\n");
    assertThat(refusal(tls("MEMGATE_TLS_CERT", server.cert().toString(), "MEMGATE_TLS_KEY", notAKey.toString())))
      .startsWith("MEMGATE_TLS_KEY (tls.key_file) = " + notAKey + ": not a PEM private key");
    assertThat(refusal(tls("MEMGATE_TLS_CERT", server.key().toString(), "MEMGATE_TLS_KEY",
      server.key().toString())))
      .startsWith("MEMGATE_TLS_CERT (tls.cert_file) = " + server.key() + ": holds no PEM certificate");
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefused() {
    assertThat(refusal(tls("MEMGATE_TLS_CERT", server.cert().toString(), "MEMGATE_TLS_KEY",
      another.key().toString())))
      .startsWith("MEMGATE_TLS_KEY (tls.key_file) = " + another.key() + ": this private key is not the key of the "
        + "certificate in " + server.cert());
  }

  @Test
  void clientCertificatesNeedACaAndTls() {
    assertThat(refusal(tls("MEMGATE_TLS_CERT", server.cert().toString(), "MEMGATE_TLS_KEY",
      server.key().toString(), "MEMGATE_TLS_CLIENT_AUTH", "required")))
      .startsWith("MEMGATE_TLS_CLIENT_CA (tls.client_ca_file) is empty, but client certificates are asked for");
    assertThat(refusal(tls("MEMGATE_TLS_CLIENT_AUTH", "request", "MEMGATE_TLS_CLIENT_CA", ca.cert().toString())))
      .startsWith("MEMGATE_TLS_CLIENT_AUTH (tls.client_auth) asks for client certificates, but TLS is off");
    assertThat(refusal(tls("MEMGATE_TLS_CERT", server.cert().toString(), "MEMGATE_TLS_KEY",
      server.key().toString(), "MEMGATE_TLS_CLIENT_CA", ca.cert().toString())))
      .startsWith("MEMGATE_TLS_CLIENT_AUTH (tls.client_auth) is none, but a client CA is given");
    assertThat(refusal(tls("MEMGATE_TLS_CLIENT_AUTH", "sometimes")))
      .startsWith("MEMGATE_TLS_CLIENT_AUTH (tls.client_auth) = \"sometimes\": must be one of none, request, required");
  }

  @Test
  void aGoodSetUpLoadsAndTlsIsOffByDefault() {
    assertThat(Settings.load(Map.of(), null).tls().enabled()).isFalse();
    assertThat(Settings.load(tls("MEMGATE_TLS_CERT", server.cert().toString(), "MEMGATE_TLS_KEY",
      server.key().toString(), "MEMGATE_TLS_CLIENT_AUTH", "required", "MEMGATE_TLS_CLIENT_CA",
      ca.cert().toString()), null).tls().enabled()).isTrue();
  }

  @Test
  void theProcessExitsWithCode2AndOneLine(@TempDir Path dataDir) throws Exception {
    try (ServiceProcess process = ServiceProcess.start(Map.of("MEMGATE_DATA_DIR", dataDir.toString(),
      "MEMGATE_HTTP_PORT", "0", "MEMGATE_TLS_CERT", server.cert().toString(), "MEMGATE_TLS_KEY",
      another.key().toString()))) {
      assertThat(process.waitForExit(60)).isEqualTo(2);
      assertThat(process.stderr().strip().lines().filter(line -> !line.startsWith("WARNING: Using incubator"))
        .toList()).singleElement().asString()
        .startsWith("memgate: configuration error: MEMGATE_TLS_KEY (tls.key_file) = " + another.key()
          + ": this private key is not the key of the certificate");
    }
  }
}
