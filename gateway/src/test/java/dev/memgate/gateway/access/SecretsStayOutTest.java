package dev.memgate.gateway.access;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.LogCapture;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.PgvectorStore;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No secret (the operator's key, a created key, a near miss of one, a bearer token shaped like a JWT, the database
 * password) appears in the log at any level, in /health, in the admin API's lists or in any error body, whatever a
 * client sends.
 */
class SecretsStayOutTest {
  private static final String DB_PASSWORD = "pg-pa55word-never-shown";
  private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLW5vdC12YWxpZA";

  @Test
  void noSecretIsLoggedShownOrEchoed() throws Exception {
    List<String> bodies = new ArrayList<>();
    String secret;
    String logged;
    Path dataDir = Files.createTempDirectory("memgate-secrets-");
    try (PgvectorStore store = new PgvectorStore(); LogCapture log = LogCapture.everything()) {
      // The local server trusts loopback, so a password in the URL is accepted and must still never be shown.
      RunningService service = RunningService.start(store, dataDir, Map.of("MEMGATE_API_KEY", Keys.OPERATOR_KEY,
        "DATABASE_URL", "postgresql://postgres:" + DB_PASSWORD + "@127.0.0.1:5432/" + store.database()), true);
      try {
        Api operator = service.api().withKey(Keys.OPERATOR_KEY);
        JsonObject created = Keys.create(operator, new JsonObject().put("name", "alice")
          .put("users", new JsonArray().add("alice")).put("permissions", new JsonArray().add("read").add("write")));
        secret = created.getString("secret");
        String nearMiss = secret.substring(0, secret.length() - 2) + "zz";
        Api alice = service.api().withKey(secret);
        bodies.add(alice.post("/memories", new JsonObject().put("messages", "Alice likes tea").put("infer", false))
          .text());
        bodies.add(alice.post("/memories", new JsonObject().put("messages", 42)).text());
        bodies.add(alice.postRaw("/search", "{not json".getBytes(), "application/json").text());
        bodies.add(alice.get("/memories?user_id=bob").text());
        bodies.add(alice.get("/memories/" + java.util.UUID.randomUUID()).text());
        for (String presented : new String[] {nearMiss, JWT, Keys.OPERATOR_KEY + "x", "Basic " + secret}) {
          bodies.add(service.api().send(HttpRequest.newBuilder(service.api().uri("/memories"))
            .header("Authorization", "Bearer " + presented).GET()).text());
          bodies.add(service.api().withKey(presented).get("/keys").text());
          bodies.add(new McpHttp(service.mcpBase()).post("/mcp", McpHttp.request(1, "initialize",
            McpHttp.initializeParams("2025-11-25")).encode(), Map.of("Authorization", "Bearer " + presented)).text());
        }
        Reply health = operator.get("/health");
        bodies.add(health.text());
        bodies.add(operator.get("/keys").text());
        bodies.add(operator.get("/audit?limit=1000").text());
        bodies.add(service.api().get("/health").text());
      } finally {
        service.close();
      }
      logged = log.all();
      RunningService.deleteTree(dataDir);
    }
    String nearMiss = secret.substring(0, secret.length() - 2) + "zz";
    String secretPart = secret.substring(secret.lastIndexOf('_') + 1);
    assertThat(logged).as("the log").isNotEmpty();
    for (String text : List.of(logged, String.join("\n", bodies))) {
      assertThat(text).doesNotContain(Keys.OPERATOR_KEY).doesNotContain(secretPart)
        .doesNotContain(nearMiss.substring(nearMiss.lastIndexOf('_') + 1)).doesNotContain(JWT)
        .doesNotContain(DB_PASSWORD);
    }
  }
}
