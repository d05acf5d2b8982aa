package dev.memgate.gateway.mcp;

import dev.memgate.gateway.testing.Eventually;
import dev.memgate.gateway.testing.LogCapture;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.McpWebSocket;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.TestIssuer;
import dev.memgate.gateway.testing.TestIssuer.SigningKey;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MCP's authorization rules with an external authorization server: the Protected Resource Metadata (RFC 9728) that
 * tells a client where to get a token, the 401 challenge that points at it, and access tokens (JWTs) checked against
 * the issuer's JWKS, which a test issuer on a loopback port serves and rotates. A token acts for the user of its
 * claim, whatever the request claims; the REST API takes the same tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpOAuthTest {
  private static final String PUBLIC_URL = "https://memory.example.test";
  private static final String RESOURCE = PUBLIC_URL + "/mcp";
  private static final String METADATA_URL = PUBLIC_URL + "/.well-known/oauth-protected-resource/mcp";
  private static final String OPERATOR_KEY = "operator-key-for-oauth-tests";

  private final SigningKey rsa = TestIssuer.rsaKey("rsa-1");
  private final SigningKey ec = TestIssuer.ecKey("ec-1");
  private TestIssuer issuer;
  private RunningService service;
  private McpHttp mcp;
  private LogCapture logs;
  /** Every token a test signed, so that the log and the bodies can be searched for them. */
  private final List<String> issued = new ArrayList<>();

  @BeforeAll
  void start() {
    // Debug included: refusals explain themselves at debug level, and those lines must not carry tokens either.
    logs = LogCapture.everything();
    issuer = TestIssuer.start();
    issuer.publish(rsa);
    issuer.publish(ec);
    service = RunningService.start(new LuceneStore(), Map.of(
      "MEMGATE_OAUTH_ISSUER", issuer.issuer(),
      "MEMGATE_PUBLIC_URL", PUBLIC_URL,
      "MEMGATE_OAUTH_JWKS_MIN_REFETCH_SECONDS", "1",
      "MEMGATE_API_KEY", OPERATOR_KEY,
      "MEMGATE_DEFAULT_USER", ""));
    mcp = new McpHttp(service.mcpBase());
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
    if (issuer != null) {
      issuer.close();
    }
    if (logs != null) {
      logs.close();
    }
  }

  private String token(SigningKey key, JsonObject claims) {
    String token = TestIssuer.sign(key, claims);
    issued.add(token);
    return token;
  }

  private String tokenFor(String user, String scope) {
    JsonObject claims = issuer.claims(user, RESOURCE);
    if (scope != null) {
      claims.put("scope", scope);
    }
    return token(rsa, claims);
  }

  private static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  private Reply initialize(Map<String, String> headers) {
    return mcp.initialize("/mcp", headers, McpHttp.initializeParams("2025-11-25"));
  }

  private Reply get(String path) {
    return mcp.send(HttpRequest.newBuilder(URI.create(mcp.base() + path)).GET());
  }

  @Test
  void theProtectedResourceMetadataNamesTheIssuerAndNeedsNoCredential() {
    for (String path : List.of("/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp")) {
      Reply reply = get(path);
      assertThat(reply.status()).as(path).isEqualTo(200);
      assertThat(reply.header("Content-Type")).startsWith("application/json");
      JsonObject metadata = reply.json();
      assertThat(metadata.getString("resource")).isEqualTo(RESOURCE);
      assertThat(metadata.getJsonArray("authorization_servers")).containsExactly(issuer.issuer());
      assertThat(metadata.getJsonArray("bearer_methods_supported")).containsExactly("header");
      assertThat(metadata.getJsonArray("scopes_supported"))
        .containsExactly("memories:read", "memories:write", "memories:delete");
      assertThat(metadata.getString("resource_name")).isEqualTo("Memgate");
    }
  }

  @Test
  void aBareRequestGets401PointingAtTheMetadataAndARefusedTokenSaysInvalidToken() {
    Reply bare = initialize(Map.of());
    assertThat(bare.status()).isEqualTo(401);
    assertThat(bare.header("WWW-Authenticate")).startsWith("Bearer ")
      .contains("resource_metadata=\"" + METADATA_URL + "\"").doesNotContain("error=");
    assertThat(bare.json().getJsonObject("error").getString("message")).contains(METADATA_URL);

    Reply refused = initialize(bearer(tokenFor("alice", null) + "x"));
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.header("WWW-Authenticate")).contains("resource_metadata=\"" + METADATA_URL + "\"")
      .contains("error=\"invalid_token\"");
  }

  @Test
  void aValidTokenRunsToolsAsTheUserOfItsClaim() {
    Map<String, String> alice = bearer(tokenFor("alice-oauth", null));
    String session = mcp.open("/mcp", alice);
    JsonObject added = mcp.tool("/mcp", session, alice, "add_memories",
      new JsonObject().put("text", "I keep bees on the roof"));
    String id = added.getJsonObject("structuredContent").getJsonArray("results").getJsonObject(0).getString("id");

    // Stored for the token's user, as the operator sees it over REST.
    Reply stored = service.api().send(HttpRequest.newBuilder(service.api().uri("/memories/" + id))
      .header("X-API-Key", OPERATOR_KEY).GET());
    assertThat(stored.status()).isEqualTo(200);
    assertThat(stored.json().getString("user_id")).isEqualTo("alice-oauth");

    // An EC-signed token of the same issuer works too, and finds the same memory.
    Map<String, String> aliceEc = bearer(token(ec, issuer.claims("alice-oauth", RESOURCE)));
    String other = mcp.open("/mcp", aliceEc);
    JsonArray found = mcp.tool("/mcp", other, aliceEc, "search_memory", new JsonObject().put("query", "bees"))
      .getJsonObject("structuredContent").getJsonArray("results");
    assertThat(found.stream().map(r -> ((JsonObject) r).getString("id"))).contains(id);
  }

  @Test
  void theOfficialJavaSdkClientConnectsWithAnAccessToken() {
    String token = tokenFor("sdk-token-user", "memories:read memories:write memories:delete");
    var transport = HttpClientStreamableHttpTransport.builder(service.mcpBase()).endpoint("/mcp")
      .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token)).build();
    try (McpSyncClient client = JavaSdkScenario.client(transport, null)) {
      JavaSdkScenario.run(client, "sdk-token-user", "My bicycle is a green Brompton", "which bike do I ride?");
    }
  }

  @Test
  void theRestApiTakesTheSameTokens() {
    String token = tokenFor("rest-user", null);
    Reply listed = service.api().send(HttpRequest.newBuilder(service.api().uri("/memories?user_id=rest-user"))
      .header("Authorization", "Bearer " + token).GET());
    assertThat(listed.status()).isEqualTo(200);
    // The token acts for its user on REST too: another user's memories are out of its reach.
    Reply other = service.api().send(HttpRequest.newBuilder(service.api().uri("/memories?user_id=someone-else"))
      .header("Authorization", "Bearer " + token).GET());
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.header("Content-Type")).startsWith("application/problem+json");
    Reply refused = service.api().send(HttpRequest.newBuilder(service.api().uri("/memories?user_id=rest-user"))
      .header("Authorization", "Bearer " + token(rsa, issuer.claims("rest-user", "https://other.example/mcp")))
      .GET());
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void tokensThatAreNotForUsOrNotValidAreRefused() {
    long now = Instant.now().getEpochSecond();
    SigningKey forger = TestIssuer.rsaKey("rsa-1");
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("wrong audience", token(rsa, issuer.claims("alice", "https://other.example/mcp")));
    refused.put("wrong issuer", token(rsa, issuer.claims("alice", RESOURCE).put("iss", "https://evil.example")));
    refused.put("expired", token(rsa, issuer.claims("alice", RESOURCE).put("exp", now - 3600)));
    refused.put("not yet valid", token(rsa, issuer.claims("alice", RESOURCE).put("nbf", now + 3600)));
    JsonObject withoutExp = issuer.claims("alice", RESOURCE);
    withoutExp.remove("exp");
    refused.put("no exp", token(rsa, withoutExp));
    refused.put("bad signature (the published kid, another key)", token(forger, issuer.claims("alice", RESOURCE)));
    refused.put("alg none", TestIssuer.unsigned(issuer.claims("alice", RESOURCE)));
    refused.put("unknown kid", token(TestIssuer.rsaKey("never-published"), issuer.claims("alice", RESOURCE)));
    refused.put("tampered claims", tamper(tokenFor("alice", null)));
    refused.forEach((why, token) -> {
      Reply reply = initialize(bearer(token));
      assertThat(reply.status()).as(why).isEqualTo(401);
      assertThat(reply.header("WWW-Authenticate")).as(why).contains("error=\"invalid_token\"");
    });
  }

  /** The same signature over claims that now name bob. */
  private String tamper(String token) {
    String[] parts = token.split("\\.");
    JsonObject claims = new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[1])));
    String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
      .encodeToString(claims.put("sub", "bob").encode().getBytes()) + "." + parts[2];
    issued.add(forged);
    return forged;
  }

  @Test
  void aRotatedKeyIsFetchedWhenATokenNamesItAndForgedKidsDoNotFloodTheIssuer() throws InterruptedException {
    SigningKey next = TestIssuer.rsaKey("rsa-2-" + UUID.randomUUID());
    String token = token(next, issuer.claims("rotating-user", RESOURCE));
    assertThat(initialize(bearer(token)).status()).isEqualTo(401);

    SigningKey forger = TestIssuer.rsaKey("forger");
    int before = issuer.jwksRequests();
    long started = System.nanoTime();
    for (int i = 0; i < 40; i++) {
      SigningKey forged = new SigningKey("forged-" + i, "RS256", forger.pair());
      assertThat(initialize(bearer(token(forged, issuer.claims("mallory", RESOURCE)))).status()).isEqualTo(401);
    }
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    // 40 unknown key ids: at most one fetch per second (MEMGATE_OAUTH_JWKS_MIN_REFETCH_SECONDS) for MCP.
    assertThat(issuer.jwksRequests() - before).isLessThanOrEqualTo((int) seconds + 1).isLessThan(40);

    issuer.publish(next);
    // Accepted once the refetch window has passed and the new key set is fetched.
    Eventually.await(Duration.ofSeconds(10), () -> initialize(bearer(token)).status() == 200,
      () -> "the token signed with the rotated key is still refused");
  }

  @Test
  void aUserClaimedByTheRequestMustBeTheTokensUser() {
    String token = tokenFor("carol", null);
    Map<String, String> headers = new LinkedHashMap<>(bearer(token));
    headers.put("X-Memgate-User", "dave");
    Reply header = initialize(headers);
    assertThat(header.status()).isEqualTo(403);
    assertThat(header.json().getJsonObject("error").getString("message"))
      .contains("user carol").contains("X-Memgate-User header names user dave");

    String ws = service.mcpBase().replace("http://", "ws://") + "/mcp/ws";
    assertThatThrownBy(() -> McpWebSocket.connect(ws, headers)).isInstanceOfSatisfying(McpWebSocket.Refused.class,
      refused -> assertThat(refused.status()).isEqualTo(403));

    Reply path = mcp.initialize("/mcp/cursor/http/dave", bearer(token), McpHttp.initializeParams("2025-11-25"));
    assertThat(path.status()).isEqualTo(403);
    assertThat(path.json().getJsonObject("error").getString("message")).contains("URL path names user dave");

    JsonObject params = McpHttp.initializeParams("2025-11-25");
    params.getJsonObject("capabilities").put("experimental", new JsonObject()
      .put("memgate", new JsonObject().put("user_id", "dave")));
    Reply init = mcp.initialize("/mcp", bearer(token), params);
    assertThat(init.status()).isEqualTo(403);
    assertThat(init.json().getJsonObject("error").getInteger("code")).isEqualTo(-32003);
    assertThat(init.json().getJsonObject("error").getString("message")).contains("initialize asked for user dave");

    Map<String, String> agreeing = new LinkedHashMap<>(bearer(token));
    agreeing.put("X-Memgate-User", "carol");
    assertThat(initialize(agreeing).status()).isEqualTo(200);
  }

  @Test
  void aSessionAnswersOnlyTheTokenSubjectThatOpenedIt() {
    Map<String, String> erin = bearer(tokenFor("erin", null));
    String session = mcp.open("/mcp", erin);
    Map<String, String> frank = new LinkedHashMap<>(bearer(tokenFor("frank", null)));
    frank.put(McpHttp.SESSION, session);
    frank.put(McpHttp.VERSION, "2025-11-25");
    Reply hijack = mcp.post("/mcp", McpHttp.request(9, "tools/call", new JsonObject().put("name", "list_memories")
      .put("arguments", new JsonObject())).encode(), frank);
    assertThat(hijack.status()).isEqualTo(404);
    // A fresh token of the same subject (a refreshed one) keeps the session.
    Map<String, String> erinAgain = bearer(token(ec, issuer.claims("erin", RESOURCE)));
    assertThat(mcp.call("/mcp", session, erinAgain, "ping", null).getJsonObject("result")).isNotNull();
  }

  @Test
  void aScopeTheTokenLacksIs403WithTheScopeToAskFor() {
    Map<String, String> reader = bearer(tokenFor("grace", "openid memories:read"));
    String session = mcp.open("/mcp", reader);
    Map<String, String> headers = new LinkedHashMap<>(reader);
    headers.put(McpHttp.SESSION, session);
    headers.put(McpHttp.VERSION, "2025-11-25");
    Reply write = mcp.post("/mcp", McpHttp.request(3, "tools/call", new JsonObject().put("name", "add_memories")
      .put("arguments", new JsonObject().put("text", "nope"))).encode(), headers);
    assertThat(write.status()).isEqualTo(403);
    assertThat(write.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"")
      .contains("scope=\"memories:write\"").contains("resource_metadata=\"" + METADATA_URL + "\"");
    assertThat(write.json().getJsonObject("error").getInteger("code")).isEqualTo(-32003);
    assertThat(mcp.tool("/mcp", session, reader, "list_memories", new JsonObject()).getBoolean("isError"))
      .isNotEqualTo(true);

    // Without any of Memgate's scopes a token reads and writes, and deleting needs memories:delete.
    Map<String, String> plain = bearer(tokenFor("grace", null));
    String other = mcp.open("/mcp", plain);
    mcp.tool("/mcp", other, plain, "add_memories", new JsonObject().put("text", "Grace likes tea"));
    Map<String, String> deleting = new LinkedHashMap<>(plain);
    deleting.put(McpHttp.SESSION, other);
    deleting.put(McpHttp.VERSION, "2025-11-25");
    Reply delete = mcp.post("/mcp", McpHttp.request(4, "tools/call", new JsonObject()
      .put("name", "delete_all_memories").put("arguments", new JsonObject())).encode(), deleting);
    assertThat(delete.status()).isEqualTo(403);
    assertThat(delete.header("WWW-Authenticate")).contains("scope=\"memories:delete\"");
  }

  @Test
  void theOperatorKeyStillWorksBesideTokens() {
    Map<String, String> operator = new LinkedHashMap<>(bearer(OPERATOR_KEY));
    operator.put("X-Memgate-User", "anyone");
    assertThat(initialize(operator).status()).isEqualTo(200);
  }

  @Test
  void noTokenAppearsInTheLogOrInAnAnswer() {
    // Some refusals of our own, so that there is something to search even when this test runs first.
    String token = tokenFor("henry", null);
    Reply expired = initialize(bearer(token(rsa, issuer.claims("henry", RESOURCE).put("exp", 1))));
    Reply mismatch = initialize(Map.of("Authorization", "Bearer " + token, "X-Memgate-User", "ivan"));
    for (Reply reply : List.of(expired, mismatch)) {
      for (String secret : issued) {
        assertThat(reply.text()).doesNotContain(secret);
        assertThat(String.valueOf(reply.headers())).doesNotContain(secret);
      }
    }
    String log = logs.all();
    assertThat(log).contains("token refused");
    for (String secret : issued) {
      assertThat(log).doesNotContain(secret);
      String signature = secret.substring(secret.lastIndexOf('.') + 1);
      if (!signature.isEmpty()) {
        assertThat(log).doesNotContain(signature);
      }
    }
  }
}
