package dev.memgate.edge.tls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.impl.KeyStoreHelper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One certificate, its private key and (with client certificates) the client CA bundle, read from their files and
 * checked the way a client would find out otherwise: the certificate parses, the key parses and is the
 * certificate's own (a challenge signed with the key verifies with the certificate), the CA bundle holds at least
 * one certificate. Vert.x's own PEM reader parses the key and chain, so what passes here is what the server loads.
 * The key's bytes stay in this object and the server's options: never logged, never shown.
 *
 * @param cert     the certificate file's bytes (leaf first, then intermediates)
 * @param key      the private key file's bytes
 * @param clientCa the client CA bundle's bytes, or null without client certificates
 * @param leaf     the server certificate
 * @param digest   SHA-256 of all three files, to tell a changed pair from the one in force
 */
public record TlsMaterial(Buffer cert, Buffer key, Buffer clientCa, X509Certificate leaf, String digest) {

  /**
   * Reads and checks the files the settings name (blocking: call it off the event loop).
   *
   * @throws TlsProblem naming the file that is missing, unreadable or wrong
   */
  public static TlsMaterial read(TlsSettings settings) {
    settings.checkCoherent();
    if (!settings.enabled()) {
      throw new IllegalStateException("TLS is off: there is nothing to read");
    }
    byte[] certBytes = readFile(TlsSettings.Part.CERT_FILE, settings.certFile());
    byte[] keyBytes = readFile(TlsSettings.Part.KEY_FILE, settings.keyFile());
    byte[] caBytes = settings.clientAuth() == ClientAuth.NONE ? null
      : readFile(TlsSettings.Part.CLIENT_CA_FILE, settings.clientCaFile());
    List<X509Certificate> chain = certificates(TlsSettings.Part.CERT_FILE, settings.certFile(), certBytes);
    PrivateKey privateKey = privateKey(settings, keyBytes, certBytes);
    X509Certificate leaf = chain.get(0);
    checkPair(settings, privateKey, leaf);
    if (caBytes != null) {
      certificates(TlsSettings.Part.CLIENT_CA_FILE, settings.clientCaFile(), caBytes);
    }
    return new TlsMaterial(Buffer.buffer(certBytes), Buffer.buffer(keyBytes),
      caBytes == null ? null : Buffer.buffer(caBytes), leaf, digest(certBytes, keyBytes, caBytes));
  }

  /** The SSL options of a server serving this pair; the same for the first listen and for every reload. */
  public ServerSSLOptions sslOptions(TlsSettings settings, long handshakeTimeoutMs) {
    ServerSSLOptions options = new ServerSSLOptions()
      .setKeyCertOptions(new PemKeyCertOptions().setCertValue(cert).setKeyValue(key))
      .setClientAuth(settings.clientAuth())
      // HTTP/2 for clients that offer it, HTTP/1.1 for the others (the server's ALPN versions say which).
      .setUseAlpn(true)
      .setSslHandshakeTimeout(handshakeTimeoutMs)
      .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    if (clientCa != null) {
      options.setTrustOptions(new PemTrustOptions().addCertValue(clientCa));
    }
    return options;
  }

  /** What /health and the log may say about the certificate in force: never anything about the key. */
  public JsonObject describe() {
    return new JsonObject()
      .put("subject", leaf.getSubjectX500Principal().getName())
      .put("issuer", leaf.getIssuerX500Principal().getName())
      .put("serial", leaf.getSerialNumber().toString(16))
      .put("not_after", leaf.getNotAfter().toInstant().toString());
  }

  /** True when the certificate's validity has ended (clients will refuse it). */
  public boolean expired(Instant now) {
    return leaf.getNotAfter().toInstant().isBefore(now);
  }

  private static byte[] readFile(TlsSettings.Part part, String file) {
    try {
      byte[] bytes = Files.readAllBytes(Path.of(file));
      if (bytes.length == 0) {
        throw new TlsProblem(part, "= " + file + ": the file is empty");
      }
      return bytes;
    } catch (TlsProblem e) {
      throw e;
    } catch (NoSuchFileException e) {
      throw new TlsProblem(part, "= " + file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new TlsProblem(part, "= " + file + ": not readable by this process (permission denied)");
    } catch (IOException | RuntimeException e) {
      throw new TlsProblem(part, "= " + file + ": cannot be read (" + e.getMessage() + ")");
    }
  }

  private static List<X509Certificate> certificates(TlsSettings.Part part, String file, byte[] pem) {
    if (!new String(pem, java.nio.charset.StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
      throw new TlsProblem(part, "= " + file + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    try {
      Collection<? extends Certificate> parsed = CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem));
      List<X509Certificate> certificates = parsed.stream().filter(X509Certificate.class::isInstance)
        .map(X509Certificate.class::cast).toList();
      if (certificates.isEmpty()) {
        throw new TlsProblem(part, "= " + file + ": holds no X.509 certificate");
      }
      return certificates;
    } catch (CertificateException e) {
      throw new TlsProblem(part, "= " + file + ": not a valid PEM certificate (" + e.getMessage() + ")");
    }
  }

  /** The key as Vert.x reads it, paired with the certificate as the server will pair them. */
  private static PrivateKey privateKey(TlsSettings settings, byte[] keyPem, byte[] certPem) {
    String file = settings.keyFile();
    try {
      KeyStore store = new PemKeyCertOptions().setKeyValue(Buffer.buffer(keyPem)).setCertValue(Buffer.buffer(certPem))
        // Values, not paths: Vert.x needs no instance to read them.
        .loadKeyStore(null);
      Enumeration<String> aliases = store.aliases();
      while (aliases.hasMoreElements()) {
        String alias = aliases.nextElement();
        if (store.isKeyEntry(alias)) {
          return (PrivateKey) store.getKey(alias, KeyStoreHelper.DUMMY_PASSWORD.toCharArray());
        }
      }
    } catch (IllegalArgumentException e) {
      // The JDK refuses to pair an RSA key with an EC certificate (and the like) before any signature is made.
      throw mismatch(settings, certificates(TlsSettings.Part.CERT_FILE, settings.certFile(), certPem).get(0));
    } catch (Exception e) {
      // Vert.x's messages name the PEM delimiters it expects; never the key's content.
      throw new TlsProblem(TlsSettings.Part.KEY_FILE, "= " + file + ": not a PEM private key Memgate can read "
        + "(unencrypted PKCS#8 PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY): " + e.getMessage());
    }
    throw new TlsProblem(TlsSettings.Part.KEY_FILE, "= " + file + ": holds no private key");
  }

  private static void checkPair(TlsSettings settings, PrivateKey key, X509Certificate leaf) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> null;
    };
    if (algorithm == null) {
      return;
    }
    boolean matches;
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(challenge);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      // An RSA key with an EC certificate, and the like.
      matches = false;
    }
    if (!matches) {
      throw mismatch(settings, leaf);
    }
  }

  private static TlsProblem mismatch(TlsSettings settings, X509Certificate leaf) {
    return new TlsProblem(TlsSettings.Part.KEY_FILE, "= " + settings.keyFile() + ": this private key is not the key "
      + "of the certificate in " + settings.certFile() + " (" + leaf.getSubjectX500Principal().getName() + ")");
  }

  private static String digest(byte[] cert, byte[] key, byte[] ca) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(cert);
      sha.update((byte) 0);
      sha.update(key);
      sha.update((byte) 0);
      if (ca != null) {
        sha.update(ca);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
