package dev.memgate.gateway.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in OpenID Connect issuer on a loopback port: its discovery document and its JWKS (the keys it publishes
 * can change while it runs, as a real issuer rotates them), with keys generated here and tokens signed here with
 * {@code java.security}, so that a test can sign exactly what a real issuer would, and what a forger would.
 */
public final class TestIssuer implements AutoCloseable {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final Vertx vertx;
  private final HttpServer server;
  private final List<SigningKey> published = new ArrayList<>();
  private final AtomicInteger jwksRequests = new AtomicInteger();

  /** A key pair with its id and JWS algorithm. */
  public record SigningKey(String kid, String alg, KeyPair pair) {
    public JsonObject jwk() {
      JsonObject jwk = new JsonObject().put("kid", kid).put("use", "sig").put("alg", alg);
      if (pair.getPublic() instanceof RSAPublicKey rsa) {
        return jwk.put("kty", "RSA").put("n", unsigned(rsa.getModulus(), 0))
          .put("e", unsigned(rsa.getPublicExponent(), 0));
      }
      ECPublicKey ec = (ECPublicKey) pair.getPublic();
      return jwk.put("kty", "EC").put("crv", "P-256").put("x", unsigned(ec.getW().getAffineX(), 32))
        .put("y", unsigned(ec.getW().getAffineY(), 32));
    }
  }

  private TestIssuer(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  public static TestIssuer start() {
    Vertx vertx = Vertx.vertx();
    TestIssuer[] self = new TestIssuer[1];
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      TestIssuer issuer = self[0];
      switch (request.path()) {
        case "/.well-known/openid-configuration" -> request.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("issuer", issuer.issuer()).put("jwks_uri", issuer.issuer() + "/jwks")
            .put("token_endpoint", issuer.issuer() + "/token").encode());
        case "/jwks" -> {
          issuer.jwksRequests.incrementAndGet();
          JsonArray keys = new JsonArray();
          synchronized (issuer.published) {
            issuer.published.forEach(key -> keys.add(key.jwk()));
          }
          request.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("keys", keys).encode());
        }
        default -> request.response().setStatusCode(404).end();
      }
    });
    self[0] = new TestIssuer(vertx, server);
    server.listen(0, "127.0.0.1").await();
    return self[0];
  }

  /** The issuer URL, as tokens carry it in {@code iss}. */
  public String issuer() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public static SigningKey rsaKey(String kid) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return new SigningKey(kid, "RS256", generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static SigningKey ecKey(String kid) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return new SigningKey(kid, "ES256", generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Adds a key to the JWKS the issuer serves from now on. */
  public void publish(SigningKey key) {
    synchronized (published) {
      published.add(key);
    }
  }

  /** How many times the JWKS has been fetched. */
  public int jwksRequests() {
    return jwksRequests.get();
  }

  /** Claims a valid access token for {@code audience} acting for {@code subject} would carry, valid for 5 minutes. */
  public JsonObject claims(String subject, String audience) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("iss", issuer()).put("sub", subject).put("aud", audience).put("iat", now)
      .put("exp", now + 300).put("azp", "test-client");
  }

  /** A compact JWS of these claims, signed with the key (its kid and alg in the header). */
  public static String sign(SigningKey key, JsonObject claims) {
    return sign(new JsonObject().put("alg", key.alg()).put("typ", "at+jwt").put("kid", key.kid()), claims,
      key.pair().getPrivate());
  }

  /** A compact JWS with exactly this header, signed with the private key for the header's algorithm. */
  public static String sign(JsonObject header, JsonObject claims, PrivateKey key) {
    String input = b64(header.encode()) + "." + b64(claims.encode());
    try {
      Signature signature = Signature.getInstance("ES256".equals(header.getString("alg"))
        ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
      signature.initSign(key);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + B64.encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token ({@code alg: none}), as an attacker would send one. */
  public static String unsigned(JsonObject claims) {
    return b64(new JsonObject().put("alg", "none").put("typ", "JWT").encode()) + "." + b64(claims.encode()) + ".";
  }

  private static String b64(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** A big-endian unsigned integer in base64url, left-padded to {@code length} bytes when given. */
  private static String unsigned(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    if (length > bytes.length) {
      byte[] padded = new byte[length];
      System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
      bytes = padded;
    }
    return B64.encodeToString(bytes);
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
