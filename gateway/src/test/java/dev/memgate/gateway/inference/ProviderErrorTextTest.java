package dev.memgate.gateway.inference;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.Eventually;
import dev.memgate.gateway.testing.FakeLlmServer;
import dev.memgate.gateway.testing.FakeLlmServer.Mode;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.ServiceProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.memgate.gateway.inference.Scripted.newUser;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider whose refusal repeats the caller's key (some OpenAI-compatible servers and proxies echo the key and
 * the Authorization header in their 401 body): REST problem details, MCP tool results, /health and the service's
 * log say that the provider refused the key, and never show the key. Runs the service as a real process, to read
 * everything it logs.
 */
class ProviderErrorTextTest {
  private static final Pattern MCP_PORT = Pattern.compile("MCP on http://[^:]+:(\\d+)/mcp");

  /** Shaped like no known key, so only knowing the configured value can hide it; random, so no other text has it. */
  private static final String KEY = "open-sesame-" + (100_000 + new SecureRandom().nextInt(900_000)) + "-plainword";

  @Test
  void aKeyEchoedByTheLlmOrTheEmbedderReachesNoClientAndNoLog(@TempDir Path dataDir) throws Exception {
    try (FakeLlmServer fake = new FakeLlmServer().mode(Mode.UNAUTHORIZED_ECHOING_KEY);
         ServiceProcess service = ServiceProcess.start(Map.of(
           "MEMGATE_DATA_DIR", dataDir.toString(),
           "MEMGATE_HTTP_PORT", "0",
           "GRAPH_STORE", "none",
           "LLM_PROVIDER", "openai",
           "EMBEDDER_PROVIDER", "openai",
           "OPENAI_BASE_URL", fake.baseUrl("openai"),
           "OPENAI_API_KEY", KEY))) {
      Api api = service.api();
      String user = newUser();

      Reply inferred = Scripted.add(api, user, "I keep bees on the roof");
      assertThat(fake.calls()).as("the provider did receive the key").isNotEmpty()
        .allSatisfy(call -> assertThat(call.header("Authorization")).isEqualTo("Bearer " + KEY));
      assertThat(inferred.status()).isEqualTo(503);
      assertThat(inferred.header("Content-Type")).startsWith("application/problem+json");
      assertThat(inferred.json().getString("dependency")).isEqualTo("llm:openai");
      assertThat(inferred.json().getString("detail")).contains("HTTP 401").contains("Incorrect API key provided");
      assertThat(inferred.text()).doesNotContain(KEY);

      Reply verbatim = api.post("/memories", Scripted.userSays(user, "I keep bees on the roof").put("infer", false));
      assertThat(verbatim.status()).isEqualTo(503);
      assertThat(verbatim.json().getString("dependency")).isEqualTo("embedding:openai");
      assertThat(verbatim.json().getString("detail")).contains("HTTP 401").contains("Incorrect API key provided");
      assertThat(verbatim.text()).doesNotContain(KEY);

      McpHttp mcp = new McpHttp("http://127.0.0.1:" + mcpPort(service));
      String session = mcp.open();
      JsonObject added = mcp.tool(session, "add_memories", new JsonObject().put("text", "I keep bees on the roof"));
      assertThat(added.getBoolean("isError")).isTrue();
      assertThat(McpHttp.text(added)).contains("llm:openai").contains("HTTP 401").doesNotContain(KEY);
      JsonObject searched = mcp.tool(session, "search_memory", new JsonObject().put("query", "bees"));
      assertThat(searched.getBoolean("isError")).isTrue();
      assertThat(McpHttp.text(searched)).contains("embedding:openai").contains("HTTP 401").doesNotContain(KEY);

      Reply health = api.get("/health");
      assertThat(health.text()).contains("last_failure").doesNotContain(KEY);

      Eventually.await(Duration.ofSeconds(10), () -> service.stderr().contains("call failed after"),
        () -> "the failed LLM call was never logged:\n" + service.stderr());
      assertThat(service.stderr()).doesNotContain(KEY);
    }
  }

  private static int mcpPort(ServiceProcess service) {
    service.awaitServing();
    Matcher port = MCP_PORT.matcher(service.stderr());
    assertThat(port.find()).as("the MCP address in the log:\n" + service.stderr()).isTrue();
    return Integer.parseInt(port.group(1));
  }
}
