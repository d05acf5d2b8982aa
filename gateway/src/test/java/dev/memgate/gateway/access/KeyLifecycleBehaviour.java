package dev.memgate.gateway.access;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.Eventually;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.testing.StoreFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys as an operator manages them: created with the operator's key, shown once, stored as a hash, listed, rotated,
 * revoked (refused within a second), expiring on time, surviving a restart, and every admin action and refused key
 * in the audit log without a secret. Written once, run against each store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class KeyLifecycleBehaviour {
  private StoreFixture store;
  private Path dataDir;
  private RunningService service;
  private Api operator;

  protected abstract StoreFixture store();

  @BeforeAll
  void start() throws Exception {
    store = store();
    dataDir = Files.createTempDirectory("memgate-keys-");
    service = RunningService.start(store, dataDir, Map.of("MEMGATE_API_KEY", Keys.OPERATOR_KEY), false);
    operator = service.api().withKey(Keys.OPERATOR_KEY);
  }

  @AfterAll
  void stop() throws Exception {
    service.close();
    store.close();
    RunningService.deleteTree(dataDir);
  }

  private JsonObject aliceKey(String name) {
    return Keys.create(operator, new JsonObject().put("name", name).put("app", "cursor")
      .put("users", new JsonArray().add("alice")).put("permissions", new JsonArray().add("read").add("write")));
  }

  private int listStatus(String secret) {
    return service.api().withKey(secret).get("/memories").status();
  }

  @Test
  void aCreatedKeyIsShownOnceAndListedWithoutItsSecret() {
    JsonObject created = aliceKey("alice's laptop");
    String secret = created.getString("secret");
    JsonObject key = created.getJsonObject("key");
    assertThat(secret).startsWith("mgk_" + key.getString("id") + "_").hasSizeGreaterThan(40);
    assertThat(key.getString("status")).isEqualTo("active");
    assertThat(key.getJsonArray("permissions")).containsExactly("read", "write");
    assertThat(key.getString("app")).isEqualTo("cursor");
    assertThat(listStatus(secret)).isEqualTo(200);

    Reply listed = operator.get("/keys");
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.text()).doesNotContain(secret).doesNotContain(secret.substring(secret.lastIndexOf('_') + 1))
      .doesNotContain("secret_hash");
    assertThat(listed.json().getJsonArray("results")).extracting(k -> ((JsonObject) k).getString("id"))
      .contains(key.getString("id"));
    assertThat(operator.get("/keys/" + key.getString("id")).json().getString("name")).isEqualTo("alice's laptop");
    assertThat(operator.get("/keys/nosuchkey").status()).isEqualTo(404);
  }

  @Test
  void aRevokedKeyIsRefusedWithinASecondAndTheAuditLogSaysWhoDidIt() {
    JsonObject created = aliceKey("to revoke");
    String secret = created.getString("secret");
    String id = created.getJsonObject("key").getString("id");
    assertThat(listStatus(secret)).isEqualTo(200);
    Instant revoking = Instant.now();
    Reply revoked = operator.delete("/keys/" + id);
    assertThat(revoked.json().getString("status")).isEqualTo("revoked");
    Eventually.await(Duration.ofSeconds(1), () -> listStatus(secret) == 401, () -> "the revoked key still works");
    assertThat(Duration.between(revoking, Instant.now())).isLessThan(Duration.ofMillis(1_500));

    JsonArray audit = operator.get("/audit?limit=50").json().getJsonArray("results");
    assertThat(audit.encode()).doesNotContain(secret).doesNotContain(Keys.OPERATOR_KEY);
    JsonObject revocation = audit.stream().map(e -> (JsonObject) e)
      .filter(e -> "key.revoke".equals(e.getString("action")) && id.equals(e.getString("target"))).findFirst()
      .orElseThrow();
    assertThat(revocation.getString("actor")).isEqualTo("bootstrap");
    assertThat(revocation.getString("address")).isEqualTo("127.0.0.1");
    assertThat(revocation.getString("at")).isNotBlank();
  }

  @Test
  void rotatingGivesANewSecretAndTheOldOneStopsWorking() {
    JsonObject created = aliceKey("to rotate");
    String old = created.getString("secret");
    String id = created.getJsonObject("key").getString("id");
    Reply rotated = operator.post("/keys/" + id + "/rotate", new JsonObject());
    assertThat(rotated.status()).isEqualTo(200);
    assertThat(rotated.header("Cache-Control")).isEqualTo("no-store");
    String fresh = rotated.json().getString("secret");
    assertThat(fresh).isNotEqualTo(old).startsWith("mgk_" + id + "_");
    Eventually.await(Duration.ofSeconds(1), () -> listStatus(old) == 401, () -> "the old secret still works");
    assertThat(listStatus(fresh)).isEqualTo(200);
    operator.delete("/keys/" + id);
    assertThat(operator.post("/keys/" + id + "/rotate", new JsonObject()).status()).isEqualTo(409);
  }

  @Test
  void anExpiredKeyIsRefusedFromItsExpiryOn() {
    Instant expires = Instant.now().plusSeconds(3);
    String secret = Keys.create(operator, new JsonObject().put("name", "short-lived")
      .put("users", new JsonArray().add("alice")).put("permissions", new JsonArray().add("read"))
      .put("expires_at", expires.toString())).getString("secret");
    assertThat(listStatus(secret)).isEqualTo(200);
    Eventually.await(Duration.ofSeconds(10), () -> listStatus(secret) == 401, () -> "the expired key still works");
    assertThat(Instant.now()).as("refused only once expired").isAfterOrEqualTo(expires);
  }

  @Test
  void badKeyRequestsAreRefusedNamingTheField() {
    Reply noUsers = operator.post("/keys", new JsonObject().put("name", "x")
      .put("permissions", new JsonArray().add("read")));
    assertThat(noUsers.status()).isEqualTo(400);
    assertThat(noUsers.json().getString("field")).contains("users");
    Reply badPermission = operator.post("/keys", new JsonObject().put("name", "x").put("users", "*")
      .put("permissions", new JsonArray().add("root")));
    assertThat(badPermission.status()).isEqualTo(400);
    assertThat(badPermission.json().getString("field")).contains("permissions");
    Reply past = operator.post("/keys", new JsonObject().put("name", "x").put("users", "*")
      .put("permissions", new JsonArray().add("read")).put("expires_at", "2020-01-01T00:00:00Z"));
    assertThat(past.status()).isEqualTo(400);
    assertThat(past.json().getString("field")).isEqualTo("expires_at");
  }

  @Test
  void refusedKeysAreAuditedWithoutTheSecretAndForgedKeysAreRefused() {
    String forged = "mgk_aaaaaaaaaaaa_" + "A".repeat(43);
    assertThat(listStatus(forged)).isEqualTo(401);
    String real = aliceKey("victim").getString("secret");
    String guessed = real.substring(0, real.length() - 1) + (real.endsWith("A") ? "B" : "A");
    assertThat(listStatus(guessed)).isEqualTo(401);
    Eventually.await(Duration.ofSeconds(5), () -> operator.get("/audit?limit=100").json()
      .getJsonArray("results").stream().map(e -> (JsonObject) e)
      .filter(e -> "auth.refused".equals(e.getString("action"))).count() >= 2, () -> "no refusals audited");
    String audit = operator.get("/audit?limit=1000").text();
    assertThat(audit).doesNotContain(forged).doesNotContain(guessed).doesNotContain(real);
  }

  @Test
  void erasuresAreAuditedWithWhoDidThem() {
    JsonObject created = Keys.create(operator, new JsonObject().put("name", "eraser").put("users",
      new JsonArray().add("erin")).put("permissions", new JsonArray().add("write").add("delete")));
    Api erin = service.api().withKey(created.getString("secret"));
    assertThat(erin.post("/memories", new JsonObject().put("messages", "Erin lives in Lyon").put("infer", false))
      .status()).isEqualTo(200);
    assertThat(erin.delete("/memories").status()).isEqualTo(200);
    JsonObject erasure = operator.get("/audit?limit=20").json().getJsonArray("results").stream()
      .map(e -> (JsonObject) e).filter(e -> "memory.delete_all".equals(e.getString("action"))).findFirst()
      .orElseThrow();
    assertThat(erasure.getString("actor")).isEqualTo(created.getJsonObject("key").getString("id"));
    assertThat(erasure.getString("target")).contains("erin");
    assertThat(erasure.getString("address")).isEqualTo("127.0.0.1");
  }

  @Test
  void keysSurviveARestart() {
    String secret = aliceKey("durable").getString("secret");
    service.close();
    service = RunningService.start(store, dataDir, Map.of("MEMGATE_API_KEY", Keys.OPERATOR_KEY), false);
    operator = service.api().withKey(Keys.OPERATOR_KEY);
    assertThat(listStatus(secret)).isEqualTo(200);
  }
}
