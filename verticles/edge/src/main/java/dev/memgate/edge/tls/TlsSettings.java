package dev.memgate.edge.tls;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * How both listeners (REST and MCP) speak TLS: the {@code tls.*} settings, as the composition root hands them to
 * each verticle. TLS is off when no certificate is given; then every other field must be empty or its default, so
 * that a half-made set-up (a key without its certificate, a client CA that nothing asks for) is refused at start-up
 * rather than silently serving cleartext.
 *
 * @param certFile         PEM file holding the server certificate, then its intermediates (the chain); empty: off
 * @param keyFile          PEM file holding the certificate's private key (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted)
 * @param clientAuth       whether clients present certificates: none, request (optional) or required (mTLS)
 * @param clientCaFile     PEM bundle of the CAs whose client certificates are accepted; needed unless none
 * @param reloadIntervalMs how often the files are read again to pick up a renewed certificate; 0: never
 * @see #toJson() the verticles' {@code tls} section, which they read key by key
 */
public record TlsSettings(String certFile, String keyFile, ClientAuth clientAuth, String clientCaFile,
                          long reloadIntervalMs) {
  /** A shorter interval would read the files for nothing: renewals happen days apart. */
  public static final long MIN_RELOAD_INTERVAL_MS = 100;

  /** Which setting a problem is about, so that the composition root can name it as the user would. */
  public enum Part {
    CERT_FILE("cert_file"), KEY_FILE("key_file"), CLIENT_AUTH("client_auth"), CLIENT_CA_FILE("client_ca_file"),
    RELOAD_INTERVAL("reload_interval_ms");

    private final String key;

    Part(String key) {
      this.key = key;
    }

    /** The key inside the {@code tls} section. */
    public String key() {
      return key;
    }
  }

  /** TLS off. */
  public static TlsSettings off() {
    return new TlsSettings("", "", ClientAuth.NONE, "", 0);
  }

  /**
   * none, request or required (any case).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static ClientAuth clientAuth(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "none" -> ClientAuth.NONE;
      case "request" -> ClientAuth.REQUEST;
      case "required" -> ClientAuth.REQUIRED;
      default -> throw new IllegalArgumentException("tls.client_auth must be none, request or required");
    };
  }

  public boolean enabled() {
    return !certFile.isEmpty();
  }

  /**
   * Checks that the settings make one coherent set-up (without reading the files: see {@link TlsMaterial#read}).
   *
   * @throws TlsProblem naming the setting to change
   */
  public void checkCoherent() {
    if (certFile.isEmpty() && !keyFile.isEmpty()) {
      throw new TlsProblem(Part.CERT_FILE, "is empty but a private key is given: give the certificate too, or "
        + "neither to serve plain HTTP");
    }
    if (!certFile.isEmpty() && keyFile.isEmpty()) {
      throw new TlsProblem(Part.KEY_FILE, "is empty but a certificate is given: give the certificate's private key");
    }
    if (clientAuth != ClientAuth.NONE && !enabled()) {
      throw new TlsProblem(Part.CLIENT_AUTH, "asks for client certificates, but TLS is off: give a certificate and "
        + "key first");
    }
    if (clientAuth != ClientAuth.NONE && clientCaFile.isEmpty()) {
      throw new TlsProblem(Part.CLIENT_CA_FILE, "is empty, but client certificates are asked for: give the CA "
        + "bundle they must be signed by");
    }
    if (clientAuth == ClientAuth.NONE && !clientCaFile.isEmpty()) {
      throw new TlsProblem(Part.CLIENT_AUTH, "is none, but a client CA is given: set request or required to check "
        + "client certificates, or leave the CA empty");
    }
    if (reloadIntervalMs != 0 && reloadIntervalMs < MIN_RELOAD_INTERVAL_MS) {
      throw new TlsProblem(Part.RELOAD_INTERVAL, "must be 0 (never reload) or at least " + MIN_RELOAD_INTERVAL_MS);
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("cert_file", certFile)
      .put("key_file", keyFile)
      .put("client_auth", clientAuth.name().toLowerCase(Locale.ROOT))
      .put("client_ca_file", clientCaFile)
      .put("reload_interval_ms", reloadIntervalMs);
  }
}
