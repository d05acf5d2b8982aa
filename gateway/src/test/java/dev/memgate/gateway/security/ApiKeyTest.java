package dev.memgate.gateway.security;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With MEMGATE_API_KEY set, the REST API answers only callers that present the key. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiKeyTest {
  private static final String KEY = "mk-test-0123456789";
  private RunningService service;
  private Api api;

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore(), Map.of("MEMGATE_API_KEY", KEY));
    api = service.api();
  }

  @AfterAll
  void stop() {
    service.close();
  }

  private Reply add(String header, String value) {
    HttpRequest.Builder request = HttpRequest.newBuilder(api.uri("/memories"))
      .header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("messages", "I like tea")
        .put("user_id", "key-user").put("infer", false).encode()));
    if (header != null) {
      request.header(header, value);
    }
    return api.send(request);
  }

  @Test
  void withoutTheKeyNothingIsReadOrWritten() {
    Reply anonymous = add(null, null);
    Reply wrong = add("X-API-Key", KEY + "x");
    Reply wrongBearer = add("Authorization", "Bearer nope");

    for (Reply reply : new Reply[] {anonymous, wrong, wrongBearer}) {
      assertThat(reply.status()).isEqualTo(401);
      assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
      assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
      assertThat(reply.text()).doesNotContain(KEY);
    }
    assertThat(api.get("/memories?user_id=key-user").status()).isEqualTo(401);
    Reply listed = api.send(HttpRequest.newBuilder(api.uri("/memories?user_id=key-user")).header("X-API-Key", KEY)
      .GET());
    assertThat(listed.json().getJsonArray("results")).isEmpty();
  }

  @Test
  void theKeyWorksInEveryHeaderMem0ClientsUse() {
    assertThat(add("X-API-Key", KEY).status()).isEqualTo(200);
    assertThat(add("Authorization", "Bearer " + KEY).status()).isEqualTo(200);
    assertThat(add("Authorization", "Token " + KEY).status()).isEqualTo(200);
  }

  @Test
  void healthTellsOnlyItsStatusToAnonymousCallers() {
    Reply anonymous = api.get("/health");
    assertThat(anonymous.status()).isEqualTo(200);
    assertThat(anonymous.json().fieldNames()).containsExactly("status");

    Reply full = api.send(HttpRequest.newBuilder(api.uri("/health")).header("X-API-Key", KEY).GET());
    assertThat(full.json().getJsonObject("components")).isNotNull();
    assertThat(full.json().getJsonObject("config").getJsonObject("http").getString("api_key")).isEqualTo("***");
  }
}
