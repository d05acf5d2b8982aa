package dev.memgate.gateway.testing;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made for one test with the {@code openssl} command (as an operator would make them): certificate
 * authorities, server certificates for {@code localhost} and {@code 127.0.0.1} signed by one, client certificates,
 * and JDK HTTP clients that trust a CA and present a client certificate. Keys are P-256, written as PKCS#8 PEM.
 */
public final class TestPki {
  private final Path dir;
  private int files;

  /** A certificate and its key, as PEM files. */
  public record Pair(Path cert, Path key) {
  }

  /** A certificate authority: its certificate and key. */
  public record Authority(String name, Pair pair) {
    public Path cert() {
      return pair.cert();
    }
  }

  public TestPki(Path dir) {
    this.dir = dir;
    run("version");
  }

  public Path dir() {
    return dir;
  }

  /** A self-signed CA. */
  public Authority authority(String commonName) {
    Path key = key();
    Path csr = file("csr");
    run("req", "-new", "-key", key.toString(), "-subj", "/CN=" + commonName, "-out", csr.toString());
    Path cert = file("pem");
    run("x509", "-req", "-in", csr.toString(), "-signkey", key.toString(), "-days", "2", "-set_serial", "1",
      "-extfile", extensions("basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign",
        "subjectKeyIdentifier=hash").toString(), "-out", cert.toString());
    return new Authority(commonName, new Pair(cert, key));
  }

  /** A server certificate for localhost and 127.0.0.1, with this serial, signed by {@code ca}. */
  public Pair server(Authority ca, long serial) {
    return signed(ca, "localhost", serial, "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "extendedKeyUsage=serverAuth");
  }

  /** A client certificate (what a service presents for mutual TLS), signed by {@code ca}. */
  public Pair client(Authority ca, String commonName) {
    return signed(ca, commonName, 7, "extendedKeyUsage=clientAuth");
  }

  private Pair signed(Authority ca, String commonName, long serial, String... extensions) {
    Path key = key();
    Path csr = file("csr");
    run("req", "-new", "-key", key.toString(), "-subj", "/CN=" + commonName, "-out", csr.toString());
    List<String> all = new ArrayList<>(List.of(extensions));
    all.add("basicConstraints=CA:FALSE");
    all.add("keyUsage=critical,digitalSignature");
    Path cert = file("pem");
    run("x509", "-req", "-in", csr.toString(), "-CA", ca.cert().toString(), "-CAkey", ca.pair().key().toString(),
      "-set_serial", "0x" + Long.toHexString(serial), "-days", "2", "-extfile",
      extensions(all.toArray(String[]::new)).toString(), "-out", cert.toString());
    return new Pair(cert, key);
  }

  /** Copies a pair over the files another one was written to, each file replaced whole (as a renewal does). */
  public static void install(Pair pair, Pair at) {
    try {
      for (Path[] move : new Path[][] {{pair.cert(), at.cert()}, {pair.key(), at.key()}}) {
        Path staged = move[1].resolveSibling(move[1].getFileName() + ".new");
        Files.copy(move[0], staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, move[1], StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A copy of a pair in files of its own (the files a server is started with, which a test may replace). */
  public Pair copy(Pair pair) {
    Pair target = new Pair(file("pem"), file("key"));
    try {
      Files.copy(pair.cert(), target.cert());
      Files.copy(pair.key(), target.key());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return target;
  }

  /** An HTTP client that trusts {@code ca} and, when {@code client} is not null, presents that certificate. */
  public static HttpClient client(Authority ca, Pair client, HttpClient.Version version) {
    return HttpClient.newBuilder().sslContext(context(ca, client)).version(version)
      // Generous: the connection includes the handshake, slow on a loaded machine while the JIT is still cold.
      .connectTimeout(Duration.ofSeconds(30)).build();
  }

  public static SSLContext context(Authority ca, Pair client) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", certificate(ca.cert()));
      TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trust);
      KeyManagerFactory keyManagers = null;
      if (client != null) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", privateKey(client.key()), "pw".toCharArray(),
          new Certificate[] {certificate(client.cert())});
        keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "pw".toCharArray());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers == null ? null : new KeyManager[] {new Presenting(
        (X509ExtendedKeyManager) keyManagers.getKeyManagers()[0])}, trustManagers.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Presents the client certificate whatever CAs the server names: the JDK's own key manager would withhold one the
   * server's CAs did not sign, and a test of a certificate from another CA would then test no certificate at all.
   */
  private static final class Presenting extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager keys;

    Presenting(X509ExtendedKeyManager keys) {
      this.keys = keys;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return "client";
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return "client";
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {"client"};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return keys.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return keys.getPrivateKey(alias);
    }
  }

  public static X509Certificate certificate(Path pem) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static BigInteger serial(Path pem) {
    return certificate(pem).getSerialNumber();
  }

  private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII);
    String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  private Path key() {
    Path key = file("key");
    run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
    return key;
  }

  private Path extensions(String... lines) {
    Path ext = file("ext");
    try {
      Files.writeString(ext, String.join("\n", lines) + "\n");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return ext;
  }

  private Path file(String extension) {
    return dir.resolve("f" + (++files) + "." + extension);
  }

  private void run(String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("these tests make their certificates with the openssl command, which could "
        + "not be run: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
