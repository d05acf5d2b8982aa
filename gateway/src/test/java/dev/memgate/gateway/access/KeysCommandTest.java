package dev.memgate.gateway.access;

import dev.memgate.gateway.cli.KeysCommand;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code memgate keys}, run against a real service as an operator would run it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeysCommandTest {
  private RunningService service;

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore(), Map.of("MEMGATE_API_KEY", Keys.OPERATOR_KEY));
  }

  @AfterAll
  void stop() {
    service.close();
  }

  private record Outcome(int code, String out, String err) {
  }

  private Outcome keys(String operatorKey, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env = operatorKey == null ? Map.of("MEMGATE_URL", service.api().base())
      : Map.of("MEMGATE_URL", service.api().base(), "MEMGATE_API_KEY", operatorKey);
    int code = new KeysCommand(env, new PrintStream(out, true, StandardCharsets.UTF_8),
      new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void anOperatorCreatesListsRotatesAndRevokesKeys() {
    Outcome created = keys(Keys.OPERATOR_KEY, "create", "--name", "cursor on alice's laptop", "--user", "alice",
      "--app", "cursor", "--permissions", "read,write");
    assertThat(created.code()).as(created.err()).isZero();
    JsonObject answer = new JsonObject(created.out());
    String secret = answer.getString("secret");
    String id = answer.getJsonObject("key").getString("id");
    assertThat(service.api().withKey(secret).get("/memories").status()).isEqualTo(200);

    Outcome listed = keys(Keys.OPERATOR_KEY, "list");
    assertThat(listed.code()).isZero();
    assertThat(listed.out()).contains(id).contains("cursor on alice's laptop").doesNotContain(secret);

    Outcome rotated = keys(Keys.OPERATOR_KEY, "rotate", id);
    assertThat(rotated.code()).isZero();
    String fresh = new JsonObject(rotated.out()).getString("secret");
    assertThat(service.api().withKey(fresh).get("/memories").status()).isEqualTo(200);

    assertThat(keys(Keys.OPERATOR_KEY, "revoke", id).code()).isZero();
    dev.memgate.gateway.testing.Eventually.await(java.time.Duration.ofSeconds(1),
      () -> service.api().withKey(fresh).get("/memories").status() == 401, () -> "still accepted");
    assertThat(keys(Keys.OPERATOR_KEY, "audit", "--limit", "10").out()).contains("key.revoke").contains(id);
  }

  @Test
  void mistakesAreNamedWithTheirExitCode() {
    Outcome noScope = keys(Keys.OPERATOR_KEY, "create", "--name", "x", "--permissions", "read");
    assertThat(noScope.code()).isEqualTo(2);
    assertThat(noScope.err()).contains("--user ID").contains("--all-users");
    Outcome refused = keys(Keys.OPERATOR_KEY, "create", "--name", "x", "--all-users", "--permissions", "root");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("400").contains("permissions");
    Outcome wrongKey = keys("not-the-operator-key", "list");
    assertThat(wrongKey.code()).isEqualTo(1);
    assertThat(wrongKey.err()).contains("401").doesNotContain("not-the-operator-key");
    assertThat(keys(null, "list").err()).contains("MEMGATE_API_KEY");
    assertThat(keys(Keys.OPERATOR_KEY, "revoke").code()).isEqualTo(2);
  }
}
