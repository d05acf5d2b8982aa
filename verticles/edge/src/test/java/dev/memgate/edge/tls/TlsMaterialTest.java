package dev.memgate.edge.tls;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the certificate checks accept and refuse, on certificates made with {@code openssl} as an operator makes
 * them: RSA and EC keys, PKCS#8 and the older PKCS#1 form; a key of another certificate, files that are not PEM.
 */
class TlsMaterialTest {
  @TempDir
  static Path dir;

  private static Path rsaCert;
  private static Path rsaKey;
  private static Path rsaKeyPkcs1;
  private static Path ecCert;
  private static Path ecKey;

  @BeforeAll
  static void certificates() {
    rsaKey = dir.resolve("rsa.key");
    rsaCert = dir.resolve("rsa.pem");
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", rsaKey.toString(), "-out", rsaCert.toString(),
      "-days", "2", "-subj", "/CN=rsa.example", "-set_serial", "0xabc");
    rsaKeyPkcs1 = dir.resolve("rsa-pkcs1.key");
    openssl("rsa", "-in", rsaKey.toString(), "-traditional", "-out", rsaKeyPkcs1.toString());
    ecKey = dir.resolve("ec.key");
    ecCert = dir.resolve("ec.pem");
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
      ecKey.toString(), "-out", ecCert.toString(), "-days", "2", "-subj", "/CN=ec.example");
  }

  private static TlsSettings settings(Path cert, Path key) {
    return new TlsSettings(cert.toString(), key.toString(), ClientAuth.NONE, "", 5_000);
  }

  @Test
  void rsaAndEcPairsInPkcs8AndPkcs1AreRead() throws IOException {
    TlsMaterial rsa = TlsMaterial.read(settings(rsaCert, rsaKey));
    JsonObject described = rsa.describe();
    assertThat(described.getString("subject")).isEqualTo("CN=rsa.example");
    assertThat(described.getString("serial")).isEqualTo("abc");
    assertThat(described.fieldNames()).containsExactlyInAnyOrder("subject", "issuer", "serial", "not_after");
    assertThat(described.encode()).doesNotContain(Files.readString(rsaKey).lines().skip(1).findFirst().orElseThrow());
    assertThat(Files.readString(rsaKeyPkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(TlsMaterial.read(settings(rsaCert, rsaKeyPkcs1)).digest()).isNotEqualTo(rsa.digest());
    assertThat(TlsMaterial.read(settings(ecCert, ecKey)).describe().getString("subject")).isEqualTo("CN=ec.example");
    // The same files give the same digest: an unchanged pair is not reloaded.
    assertThat(TlsMaterial.read(settings(rsaCert, rsaKey)).digest()).isEqualTo(rsa.digest());
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() {
    assertThatThrownBy(() -> TlsMaterial.read(settings(rsaCert, ecKey)))
      .isInstanceOfSatisfying(TlsProblem.class, problem -> assertThat(problem.part())
        .isEqualTo(TlsSettings.Part.KEY_FILE))
      .hasMessageContaining("is not the key of the certificate");
    Path otherRsaKey = dir.resolve("other-rsa.key");
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", otherRsaKey.toString());
    assertThatThrownBy(() -> TlsMaterial.read(settings(rsaCert, otherRsaKey)))
      .hasMessageContaining("is not the key of the certificate");
  }

  @Test
  void filesThatAreMissingEmptyOrNotPemAreRefusedNamingTheFile() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    Path text = Files.writeString(dir.resolve("text.pem"), "not a certificate");
    assertThatThrownBy(() -> TlsMaterial.read(settings(dir.resolve("missing.pem"), rsaKey)))
      .hasMessage("= " + dir.resolve("missing.pem") + ": no such file")
      .isInstanceOfSatisfying(TlsProblem.class, p -> assertThat(p.part()).isEqualTo(TlsSettings.Part.CERT_FILE));
    assertThatThrownBy(() -> TlsMaterial.read(settings(empty, rsaKey))).hasMessageEndingWith(": the file is empty");
    assertThatThrownBy(() -> TlsMaterial.read(settings(text, rsaKey))).hasMessageContaining("holds no PEM certificate");
    assertThatThrownBy(() -> TlsMaterial.read(settings(rsaCert, text)))
      .hasMessageContaining("not a PEM private key")
      .isInstanceOfSatisfying(TlsProblem.class, p -> assertThat(p.part()).isEqualTo(TlsSettings.Part.KEY_FILE));
    TlsSettings withCa = new TlsSettings(rsaCert.toString(), rsaKey.toString(), ClientAuth.REQUIRED,
      text.toString(), 0);
    assertThatThrownBy(() -> TlsMaterial.read(withCa))
      .isInstanceOfSatisfying(TlsProblem.class, p -> assertThat(p.part()).isEqualTo(TlsSettings.Part.CLIENT_CA_FILE));
  }

  @Test
  void halfMadeSetUpsAreIncoherent() {
    assertThatThrownBy(() -> new TlsSettings("c.pem", "", ClientAuth.NONE, "", 0).checkCoherent())
      .isInstanceOfSatisfying(TlsProblem.class, p -> assertThat(p.part()).isEqualTo(TlsSettings.Part.KEY_FILE));
    assertThatThrownBy(() -> new TlsSettings("", "k.pem", ClientAuth.NONE, "", 0).checkCoherent())
      .isInstanceOfSatisfying(TlsProblem.class, p -> assertThat(p.part()).isEqualTo(TlsSettings.Part.CERT_FILE));
    assertThatThrownBy(() -> new TlsSettings("c.pem", "k.pem", ClientAuth.REQUEST, "", 0).checkCoherent())
      .isInstanceOfSatisfying(TlsProblem.class,
        p -> assertThat(p.part()).isEqualTo(TlsSettings.Part.CLIENT_CA_FILE));
    assertThatThrownBy(() -> new TlsSettings("c.pem", "k.pem", ClientAuth.NONE, "", 50).checkCoherent())
      .isInstanceOfSatisfying(TlsProblem.class,
        p -> assertThat(p.part()).isEqualTo(TlsSettings.Part.RELOAD_INTERVAL));
    TlsSettings.off().checkCoherent();
    assertThat(new TlsSettings("c.pem", "k.pem", ClientAuth.REQUIRED, "ca.pem", 1000).toJson().getString(
      "client_auth")).isEqualTo(TlsSettings.clientAuth("Required").name().toLowerCase(java.util.Locale.ROOT));
  }

  @Test
  void handshakeFailuresAreToldApartWithoutTheClientsBytes() {
    NotSslRecordException cleartext = new NotSslRecordException("not an SSL/TLS record: 474554202f");
    assertThat(ListenerTls.handshakeFailure(cleartext)).isEqualTo("not TLS (plain HTTP sent to the HTTPS port?)")
      .doesNotContain("4745");
    assertThat(ListenerTls.handshakeFailure(new DecoderException(cleartext))).doesNotContain("4745");
    assertThat(ListenerTls.handshakeFailure(new DecoderException(new SSLHandshakeException("(certificate_required) "
      + "Empty client certificate chain")))).isEqualTo("no client certificate (tls.client_auth is required)");
    SSLHandshakeException untrusted = new SSLHandshakeException("(certificate_unknown) PKIX path building failed");
    untrusted.initCause(new java.security.cert.CertPathBuilderException("unable to find valid certification path"));
    assertThat(ListenerTls.handshakeFailure(untrusted)).startsWith("the client certificate is not signed by a CA of "
      + "tls.client_ca_file");
    assertThat(ListenerTls.handshakeFailure(new SSLHandshakeException("(handshake_failure) no cipher suites in "
      + "common"))).isEqualTo("TLS handshake failed: (handshake_failure) no cipher suites in common");
    assertThat(ListenerTls.handshakeFailure(new IOException("Connection reset by peer"))).isNull();
  }

  private static void openssl(String... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("this test makes its certificates with openssl, which could not be run", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
