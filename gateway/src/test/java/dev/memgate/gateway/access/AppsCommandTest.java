package dev.memgate.gateway.access;

import dev.memgate.gateway.cli.KeysCommand;
import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.Eventually;
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
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code memgate keys apps | pause | resume | app-access}, run against a real service as an operator would. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppsCommandTest {
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

  private Outcome keys(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new KeysCommand(Map.of("MEMGATE_URL", service.api().base(), "MEMGATE_API_KEY", Keys.OPERATOR_KEY),
      new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
      .run(args);
    return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void anOperatorListsPausesResumesAndLimitsApps() {
    Outcome created = keys("create", "--name", "desktop", "--user", "olga", "--app", "claude desktop",
      "--permissions", "read,write");
    assertThat(created.code()).as(created.err()).isZero();
    Api olga = service.api().withKey(new JsonObject(created.out()).getString("secret"));
    assertThat(olga.post("/memories", new JsonObject().put("messages", "Olga sails on weekends")
      .put("user_id", "olga").put("infer", false)).status()).isEqualTo(200);

    Outcome listed = keys("apps");
    assertThat(listed.code()).as(listed.err()).isZero();
    JsonObject app = new JsonObject(listed.out()).getJsonArray("results").getJsonObject(0);
    assertThat(app.getString("name")).isEqualTo("claude desktop");
    assertThat(app.getLong("memory_count")).isEqualTo(1L);

    assertThat(keys("pause", "claude desktop").code()).isZero();
    Eventually.await(Duration.ofSeconds(1), () -> olga.get("/memories").status() == 403, () -> "not paused");
    assertThat(keys("resume", "claude desktop").code()).isZero();
    Eventually.await(Duration.ofSeconds(1), () -> olga.get("/memories").status() == 200, () -> "not resumed");

    Outcome limited = keys("app-access", "claude desktop", "own");
    assertThat(limited.code()).as(limited.err()).isZero();
    assertThat(new JsonObject(limited.out()).getString("memory_access")).isEqualTo("own");
    Outcome wrong = keys("app-access", "claude desktop", "some");
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.err()).contains("400").contains("memory_access");
    assertThat(keys("pause", "no such app").err()).contains("404");
    assertThat(keys("app-access", "claude desktop").code()).isEqualTo(2);
  }
}
