package dev.memgate.gateway.ratelimit;

import dev.memgate.gateway.testing.LuceneStore;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.gateway.http.HttpVerticle;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limits of a Memgate without a credential: each client address has its own buckets, 5 writes and 10 reads a
 * minute here (a bucket holds a minute's worth). Each test calls from its own loopback address, so the tests do not
 * spend each other's budgets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitTest {
  private static final int WRITES = 5;
  private static final int READS = 10;

  private RunningService service;
  private int port;

  @BeforeAll
  void start() {
    service = RunningService.start(new LuceneStore(), Map.of(
      "MEMGATE_RATE_LIMIT_ADDRESS_WRITES_PER_MINUTE", Integer.toString(WRITES),
      "MEMGATE_RATE_LIMIT_ADDRESS_READS_PER_MINUTE", Integer.toString(READS)));
    port = HttpVerticle.actualPort(service.vertx());
  }

  @AfterAll
  void stop() {
    service.close();
  }

  @Test
  void theBudgetsWritesPassThenA429WithTheHeadersAndNothingWritten() {
    FromAddress client = new FromAddress("127.0.0.2", port);
    for (int i = 0; i < WRITES; i++) {
      Reply added = client.add("limited", "Fact number " + i, false);
      assertThat(added.status()).as("add %d", i + 1).isEqualTo(200);
      assertThat(added.header("RateLimit-Policy")).isEqualTo("\"writes\";q=5;w=60");
      assertThat(added.header("RateLimit")).startsWith("\"writes\";r=" + (WRITES - 1 - i) + ";t=");
    }
    Reply refused = client.add("limited", "One fact too many", false);

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
    assertThat(refused.json().getInteger("code")).isEqualTo(4290);
    assertThat(refused.json().getString("budget")).isEqualTo("writes");
    assertThat(refused.json().getString("detail")).contains("writes").contains("5 a minute");
    // One token every 12 s: the next one is at most 12 s away.
    assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 12);
    assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"writes\";q=5;w=60");
    assertThat(refused.header("RateLimit")).matches("\"writes\";r=0;t=\\d+");
    assertThat(client.list("limited").json().getJsonArray("results")).hasSize(WRITES);
    // Another spelling of the same route is no way around the budget.
    for (String path : new String[] {"/memories/", "//memories", "/./memories"}) {
      Reply variant = client.send("POST", path, new JsonObject().put("messages", "Sneaky").put("user_id", "limited")
        .put("infer", false));
      assertThat(variant.status()).as(path).isIn(404, 429);
    }
    assertThat(client.list("limited").json().getJsonArray("results")).hasSize(WRITES);
  }

  @Test
  void readsStillPassWhenWritesAreExhausted() {
    FromAddress client = new FromAddress("127.0.0.3", port);
    for (int i = 0; i <= WRITES; i++) {
      client.add("reader", "Note " + i, false);
    }
    assertThat(client.add("reader", "Another note", false).status()).isEqualTo(429);

    Reply listed = client.list("reader");
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.header("RateLimit-Policy")).isEqualTo("\"reads\";q=10;w=60");
    assertThat(client.search("reader", "note").status()).isEqualTo(200);
  }

  @Test
  void aBurstFromOneClientGets429sWhileAnotherClientGetsNone() {
    FromAddress flood = new FromAddress("127.0.0.4", port);
    FromAddress other = new FromAddress("127.0.0.5", port);
    List<CompletableFuture<Reply>> flooding = new ArrayList<>();
    List<CompletableFuture<Reply>> others = new ArrayList<>();
    for (int i = 0; i < 3 * READS; i++) {
      flooding.add(flood.listAsync("someone"));
      if (i % 4 == 0) {
        others.add(other.listAsync("someone-else"));
      }
    }
    long passed = flooding.stream().map(CompletableFuture::join).filter(r -> r.status() == 200).count();
    long refused = flooding.stream().map(CompletableFuture::join).filter(r -> r.status() == 429).count();

    // The bucket holds 10 and refills one every 6 s: 10 pass, 11 if the burst took longer than that.
    assertThat(passed).isBetween((long) READS, (long) READS + 1);
    assertThat(passed + refused).isEqualTo(3 * READS);
    assertThat(others).allSatisfy(reply -> assertThat(reply.join().status()).isEqualTo(200));
  }

  @Test
  void mcpToolCallsSpendTheSameBucketsAsRestAndAnswerAJsonRpcErrorOverTheLimit() {
    // McpHttp calls from 127.0.0.1, which no other test here uses.
    McpHttp mcp = new McpHttp(service.mcpBase());
    String session = mcp.open();
    FromAddress rest = new FromAddress("127.0.0.1", port);
    assertThat(rest.add("mcp-user", "Written over REST", false).status()).isEqualTo(200);
    for (int i = 1; i < WRITES; i++) {
      mcp.tool(session, "add_memories", new JsonObject().put("text", "Written over MCP " + i).put("infer", false));
    }
    JsonObject refused = mcp.call(session, "tools/call", new JsonObject().put("name", "add_memories")
      .put("arguments", new JsonObject().put("text", "One too many").put("infer", false)));

    JsonObject error = refused.getJsonObject("error");
    assertThat(error).as(refused.encode()).isNotNull();
    assertThat(error.getString("message")).contains("Too Many Requests").contains("writes");
    assertThat(error.getJsonObject("data").getInteger("status")).isEqualTo(429);
    assertThat(error.getJsonObject("data").getString("budget")).isEqualTo("writes");
    assertThat(error.getJsonObject("data").getLong("retry_after_seconds")).isBetween(1L, 12L);
    assertThat(rest.add("mcp-user", "Refused over REST too", false).status()).isEqualTo(429);
    // Reading tools still work.
    JsonObject listed = mcp.tool(session, "list_memories", new JsonObject());
    assertThat(listed.getBoolean("isError", false)).isFalse();
  }
}
