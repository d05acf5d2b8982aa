package dev.memgate.access.oidc;

import dev.memgate.access.AccessDenied;
import dev.memgate.access.AuthenticationUnavailable;
import dev.memgate.access.Caller;
import dev.memgate.access.Permission;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token authenticator against issuers that misbehave: one that cannot be reached, one that accepts connections
 * and never answers, and one that goes away after its keys were fetched. Tokens are signed here with
 * {@code java.security}; the issuer is a Vert.x server on a loopback port.
 */
class TokenAuthenticatorTest {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final String AUDIENCE = "http://127.0.0.1:8765/mcp";
  /** Well formed, RS256, but signed by nobody: enough to reach the key lookup. */
  private static final String SOME_TOKEN = b64("{\"alg\":\"RS256\",\"kid\":\"k1\"}") + "." + b64("{}") + "."
    + b64("signature");

  private Vertx vertx;
  /** One event loop for everything, as a listener has. */
  private Context context;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /** A short fetch timeout, for the issuers that never answer. */
  private static OidcConfig config(String issuer, String jwksUri) {
    return new OidcConfig(issuer, AUDIENCE, jwksUri, "sub", 5, 3_600, 30, 300);
  }

  /** A fetch timeout generous enough for a first fetch on a busy machine (class loading, a cold client). */
  private static OidcConfig patientConfig(String issuer, int leewaySeconds) {
    return new OidcConfig(issuer, AUDIENCE, issuer + "/jwks", "sub", leewaySeconds, 3_600, 30, 5_000);
  }

  private TokenAuthenticator authenticator(OidcConfig config) {
    return Future.<TokenAuthenticator>future(p -> context.runOnContext(v ->
      p.complete(TokenAuthenticator.start(vertx, config)))).await();
  }

  private Future<Caller> authenticate(TokenAuthenticator tokens, String token) {
    return Future.future(p -> context.runOnContext(v -> tokens.authenticate(token).onComplete(p)));
  }

  private Throwable failureOf(TokenAuthenticator tokens, String token) {
    long started = System.nanoTime();
    Future<Caller> outcome = authenticate(tokens, token);
    try {
      outcome.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return null;
    } catch (Exception e) {
      assertThat(System.nanoTime() - started).as("answered without hanging").isLessThan(5_000_000_000L);
      return e.getCause();
    }
  }

  @Test
  void anUnreachableIssuerMakesTokensFailAs503AtOnceAndIsNotAskedAgainAtEachRequest() throws Exception {
    NetServer closed = vertx.createNetServer().connectHandler(socket -> socket.close());
    int port = closed.listen(0, "127.0.0.1").await().actualPort();
    closed.close().await();
    TokenAuthenticator tokens = authenticator(config("http://127.0.0.1:" + port, ""));
    Thread.sleep(300);
    for (int i = 0; i < 3; i++) {
      long started = System.nanoTime();
      assertThat(failureOf(tokens, SOME_TOKEN)).isInstanceOf(AuthenticationUnavailable.class);
      assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
    }
  }

  @Test
  void anIssuerThatNeverAnswersIsGivenUpOnWithinTheFetchTimeout() {
    AtomicInteger connections = new AtomicInteger();
    NetServer blackHole = vertx.createNetServer().connectHandler(socket -> connections.incrementAndGet());
    int port = blackHole.listen(0, "127.0.0.1").await().actualPort();
    TokenAuthenticator tokens = authenticator(config("http://127.0.0.1:" + port, ""));
    assertThat(failureOf(tokens, SOME_TOKEN)).isInstanceOf(AuthenticationUnavailable.class);
    // The start-up fetch and this request shared one attempt, and the next request asks nothing of the issuer.
    assertThat(failureOf(tokens, SOME_TOKEN)).isInstanceOf(AuthenticationUnavailable.class);
    assertThat(connections.get()).isEqualTo(1);
  }

  /** An issuer on a loopback port publishing the key as {@code k1}; returns its URL. */
  private HttpServer issuerOf(KeyPair pair) {
    RSAPublicKey publicKey = (RSAPublicKey) pair.getPublic();
    JsonObject jwks = new JsonObject().put("keys", new JsonArray().add(new JsonObject().put("kty", "RSA")
      .put("kid", "k1").put("use", "sig").put("alg", "RS256").put("n", unsigned(publicKey.getModulus()))
      .put("e", unsigned(publicKey.getPublicExponent()))));
    return vertx.createHttpServer().requestHandler(request -> request.response()
      .putHeader("Content-Type", "application/json").end(jwks.encode())).listen(0, "127.0.0.1").await();
  }

  private static KeyPair rsaPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  @Test
  void keysFetchedBeforeKeepWorkingWhenTheIssuerGoesAway() throws Exception {
    KeyPair pair = rsaPair();
    HttpServer issuer = issuerOf(pair);
    String iss = "http://127.0.0.1:" + issuer.actualPort();
    TokenAuthenticator tokens = authenticator(patientConfig(iss, 5));

    long now = Instant.now().getEpochSecond();
    JsonObject claims = new JsonObject().put("iss", iss).put("sub", "u-42").put("aud", new JsonArray().add("other")
      .add(AUDIENCE)).put("exp", now + 60).put("client_id", "cli").put("scope", "memories:read memories:delete");
    String token = sign(pair, "k1", claims);
    Caller caller = authenticate(tokens, token).await();
    assertThat(caller.kind()).isEqualTo(Caller.Kind.TOKEN);
    assertThat(caller.id()).isEqualTo("u-42@" + iss).doesNotContain(token);
    assertThat(caller.soleUser()).isEqualTo("u-42");
    assertThat(caller.app()).isEqualTo("cli");
    assertThat(caller.permissions()).containsExactlyInAnyOrder(Permission.READ, Permission.DELETE);
    assertThat(caller.expiresAt()).isEqualTo(Instant.ofEpochSecond(now + 60));

    issuer.close().await();
    // A token naming an unknown key makes it try to fetch again, which fails: the known keys stay.
    assertThat(failureOf(tokens, sign(pair, "k2", claims))).isInstanceOf(AccessDenied.class);
    Caller again = authenticate(tokens, token).await();
    assertThat(again.soleUser()).isEqualTo("u-42");
  }

  @Test
  void aRememberedTokenStopsWorkingWhenItExpires() throws Exception {
    KeyPair pair = rsaPair();
    HttpServer issuer = issuerOf(pair);
    String iss = "http://127.0.0.1:" + issuer.actualPort();
    TokenAuthenticator tokens = authenticator(patientConfig(iss, 0));
    long expires = Instant.now().getEpochSecond() + 2;
    String token = sign(pair, "k1", new JsonObject().put("iss", iss).put("sub", "brief").put("aud", AUDIENCE)
      .put("exp", expires));
    assertThat(authenticate(tokens, token).await().soleUser()).isEqualTo("brief");
    assertThat(authenticate(tokens, token).await().soleUser()).isEqualTo("brief");
    while (Instant.now().getEpochSecond() <= expires) {
      Thread.sleep(100);
    }
    assertThat(failureOf(tokens, token)).isInstanceOf(AccessDenied.class);
  }

  private static String sign(KeyPair pair, String kid, JsonObject claims) throws Exception {
    String input = b64(new JsonObject().put("alg", "RS256").put("kid", kid).encode()) + "." + b64(claims.encode());
    Signature signature = Signature.getInstance("SHA256withRSA");
    signature.initSign(pair.getPrivate());
    signature.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + B64.encodeToString(signature.sign());
  }

  private static String b64(String text) {
    return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return B64.encodeToString(bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
  }
}
