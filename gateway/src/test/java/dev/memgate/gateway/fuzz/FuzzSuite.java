package dev.memgate.gateway.fuzz;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.McpHttp;
import dev.memgate.gateway.testing.McpWebSocket;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.StdioServiceProcess;
import dev.memgate.gateway.testing.StoreFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * Thousands of generated bad and borderline requests against one real Memgate process, over REST and every MCP
 * transport at once (Streamable HTTP with and without a session, WebSocket, legacy SSE, stdio), on the store a
 * subclass picks. Every answer is checked as it comes ({@link Oracle}: no 5xx, no internal error, no stack trace, the
 * surface's own error format); afterwards the memories seeded before the run must be exactly as they were, no
 * refused write may have left anything behind, the service must be healthy and still work normally over REST and
 * MCP, and its log must hold no stack trace and have grown only a little per request.
 *
 * <p>The run is reproducible: the seed is printed and named in every failure, and {@code -Dmemgate.fuzz.seed=N}
 * replays it ({@code random} draws a new one; by default the seed is fixed); {@code -Dmemgate.fuzz.requests=N} sets
 * the number of requests per store (default 5,200, so that two stores make more than 10,000).
 */
abstract class FuzzSuite {
  private static final int DEFAULT_REQUESTS = 5_200;
  /** Log growth allowed per request, on top of a fixed allowance: a line now and then, never a stack trace. */
  private static final int LOG_BYTES_PER_REQUEST = 100;
  private static final int LOG_BYTES_FIXED = 16_384;

  @TempDir
  Path dataDir;

  protected abstract StoreFixture createStore() throws Exception;

  /**
   * The seed of an ordinary run (CI's): fixed, so that a change is judged on the same requests every time and a
   * red run always means the change. Explore with {@code -Dmemgate.fuzz.seed=random} (a new seed, printed).
   */
  static final long DEFAULT_SEED = 20261203L;

  /** The run's seed: -Dmemgate.fuzz.seed, drawn once per JVM when "random", so both stores of a run share it. */
  private static final long SEED = seedFromProperty();

  private static long seedFromProperty() {
    String given = System.getProperty("memgate.fuzz.seed");
    if (given == null || given.isBlank()) {
      return DEFAULT_SEED;
    }
    return given.strip().equals("random") ? ThreadLocalRandom.current().nextLong() : Long.parseLong(given.strip());
  }

  @Test
  void badRequestsOverEveryTransportLeaveTheServiceHealthyAndTheMemoriesUntouched() throws Exception {
    long seed = SEED;
    int requests = Integer.getInteger("memgate.fuzz.requests", DEFAULT_REQUESTS);
    try (StoreFixture store = createStore()) {
      Map<String, String> env = new HashMap<>(store.environment(dataDir));
      env.put("MEMGATE_DATA_DIR", dataDir.toString());
      String target = store.name();
      System.out.printf("fuzz %s: seed %d (replay with -Dmemgate.fuzz.seed=%d)%n", target, seed, seed);
      try (StdioServiceProcess service = StdioServiceProcess.start(env)) {
        Api api = service.api();
        Territory territory = seedTerritory(api, service, seed);
        Map<String, JsonArray> before = snapshot(api, territory);
        List<McpGrammar.Tool> tools = tools(service.mcpPort());
        try (FuzzRun run = new FuzzRun(target, seed, service, territory, new McpGrammar(tools, territory))) {
          int logLinesBefore = service.logLines().size();
          long cpuBefore = service.cpuTime().toMillis();
          long started = System.nanoTime();
          List<Lane> lanes = List.of(
            new RestLane(run, share(requests, 0.50), 10),
            new McpHttpLane(run, share(requests, 0.28), 3),
            new WebSocketLane(run, share(requests, 0.11), 2),
            new SseLane(run, share(requests, 0.07), 2),
            new StdioLane(run, share(requests, 0.04)));
          List<Thread> threads = new ArrayList<>();
          for (Lane lane : lanes) {
            lane.prepare();
          }
          for (Lane lane : lanes) {
            threads.addAll(lane.start());
          }
          for (Thread thread : threads) {
            if (!thread.join(java.time.Duration.ofMinutes(5))) {
              run.findings.failAfter("the fuzz finished", "a lane was still running after 5 minutes: "
                + thread.getName());
            }
          }
          long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
          StringBuilder timing = new StringBuilder("lanes took");
          lanes.forEach(lane -> timing.append(String.format(" %s %.1f s,", lane.name, lane.seconds())));
          run.findings.note(timing + " the service used " + (service.cpuTime().toMillis() - cpuBefore) / 1000.0
            + " s of CPU meanwhile");
          afterwards(run, api, before, logLinesBefore);
          System.out.print(run.findings.summary());
          System.out.printf("fuzz %s: %d requests in %d s%n", target, run.findings.total(), seconds);
          if (run.findings.total() < requests * 0.95) {
            run.findings.failAfter("enough requests", "only " + run.findings.total() + " of " + requests
              + " requests were sent");
          }
          if (!run.findings.failures().isEmpty()) {
            String report = run.findings.report(25);
            System.out.println(report);
            fail(report);
          }
        }
      }
    }
  }

  private static int share(int total, double fraction) {
    return (int) Math.round(total * fraction);
  }

  // ---- before -------------------------------------------------------------------------------------------------

  /** Seeds the protected and sandbox memories; REST users' texts carry words no MCP answer may ever show. */
  private static Territory seedTerritory(Api api, StdioServiceProcess service, long seed) {
    String tag = Long.toHexString(seed).replace("-", "m");
    List<String> users = List.of("fuzz-ann", "fuzz-ben");
    Set<String> markers = new LinkedHashSet<>();
    List<String> protectedIds = new ArrayList<>();
    String[] facts = {"likes green tea in the morning", "is learning to play the cello", "moved to Porto last May"};
    for (String user : users) {
      for (int i = 0; i < facts.length; i++) {
        String marker = "zq" + user.substring(5) + i + tag;
        markers.add(marker);
        protectedIds.add(add(api, new JsonObject().put("user_id", user), user + " " + facts[i] + " (" + marker + ")",
          new JsonObject().put("source", "seed").put("n", i)));
      }
    }
    for (String[] scope : new String[][] {{"agent_id", "fuzz-agent"}, {"run_id", "fuzz-run"}}) {
      for (int i = 0; i < 2; i++) {
        String marker = "zq" + scope[1].substring(5) + i + tag;
        markers.add(marker);
        protectedIds.add(add(api, new JsonObject().put(scope[0], scope[1]), "the " + scope[0] + " remembers step "
          + i + " (" + marker + ")", null));
      }
    }
    List<String> sandboxIds = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sandboxIds.add(add(api, new JsonObject().put("user_id", "sandbox-rest"), "sandbox fact number " + i, null));
    }
    List<String> mcpIds = new ArrayList<>();
    for (int i = 0; i < facts.length; i++) {
      mcpIds.add(add(api, new JsonObject().put("user_id", "fuzz-mcp"), "the assistant user " + facts[i], null));
    }
    List<String> mcpSandboxIds = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      mcpSandboxIds.add(add(api, new JsonObject().put("user_id", "fuzz-mcp-sandbox"), "mcp sandbox fact " + i, null));
    }
    return new Territory("127.0.0.1:" + service.restPort(), "127.0.0.1:" + service.mcpPort(), users, "fuzz-agent",
      "fuzz-run", protectedIds, sandboxIds, "fuzz-mcp", mcpIds, "fuzz-mcp-sandbox", mcpSandboxIds, markers);
  }

  private static String add(Api api, JsonObject scope, String text, JsonObject metadata) {
    JsonObject body = scope.copy().put("messages", text).put("infer", false);
    if (metadata != null) {
      body.put("metadata", metadata);
    }
    Reply reply = api.post("/memories", body);
    if (reply.status() != 200) {
      throw new IllegalStateException("seeding failed: " + reply);
    }
    return reply.json().getJsonArray("results").getJsonObject(0).getString("id");
  }

  /** Every protected scope's list and every protected memory's history, as the REST API shows them. */
  private static Map<String, JsonArray> snapshot(Api api, Territory territory) {
    Map<String, JsonArray> snapshot = new LinkedHashMap<>();
    List<String> scopes = new ArrayList<>();
    territory.protectedUsers().forEach(user -> scopes.add("user_id=" + user));
    scopes.add("agent_id=" + territory.protectedAgent());
    scopes.add("run_id=" + territory.protectedRun());
    scopes.add("user_id=" + territory.mcpUser());
    for (String scope : scopes) {
      Reply reply = api.get("/memories?" + scope + "&limit=1000");
      snapshot.put("list " + scope, reply.status() == 200 ? reply.json().getJsonArray("results")
        : new JsonArray().add("HTTP " + reply.status()));
    }
    List<String> ids = new ArrayList<>(territory.protectedIds());
    ids.addAll(territory.mcpIds());
    for (String id : ids) {
      Reply reply = api.get("/memories/" + id + "/history");
      snapshot.put("history " + id, reply.status() == 200 ? reply.jsonArray()
        : new JsonArray().add("HTTP " + reply.status()));
    }
    return snapshot;
  }

  /** The tools as tools/list describes them, every page. */
  private static List<McpGrammar.Tool> tools(int mcpPort) {
    McpHttp mcp = new McpHttp("http://127.0.0.1:" + mcpPort);
    String session = mcp.open("/mcp", Map.of("X-Memgate-User", "fuzz-tools-reader"));
    List<McpGrammar.Tool> tools = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject params = cursor == null ? new JsonObject() : new JsonObject().put("cursor", cursor);
      JsonObject page = mcp.call("/mcp", session, Map.of("X-Memgate-User", "fuzz-tools-reader"), "tools/list", params)
        .getJsonObject("result");
      for (Object tool : page.getJsonArray("tools")) {
        JsonObject descriptor = (JsonObject) tool;
        tools.add(new McpGrammar.Tool(descriptor.getString("name"), descriptor.getJsonObject("inputSchema")));
      }
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    return tools;
  }

  // ---- after --------------------------------------------------------------------------------------------------

  private static void afterwards(FuzzRun run, Api api, Map<String, JsonArray> before, int logLinesBefore) {
    Findings findings = run.findings;
    if (!run.service.alive()) {
      findings.failAfter("the process is alive", "the service exited during the fuzz");
      return;
    }
    Reply health = api.get("/health");
    if (health.status() != 200 || !"UP".equals(health.json().getString("status"))) {
      findings.failAfter("/health is UP", health.toString());
    }
    Map<String, JsonArray> after = snapshot(api, run.territory);
    for (Map.Entry<String, JsonArray> entry : before.entrySet()) {
      JsonArray now = after.get(entry.getKey());
      if (!entry.getValue().equals(now)) {
        findings.failAfter("protected memories are unchanged", entry.getKey() + " was " + entry.getValue().size()
          + " item(s), is " + (now == null ? "missing" : now.size() + " item(s)") + ": before "
          + Excerpts.of(entry.getValue().encode(), 300) + " after " + Excerpts.of(String.valueOf(now), 300));
      }
    }
    int checked = 0;
    for (Map.Entry<String, String> probe : run.refusedProbes.entrySet()) {
      Reply reply = api.get("/memories?" + probe.getKey() + "&limit=5");
      checked++;
      if (reply.status() != 200 || !reply.json().getJsonArray("results").isEmpty()) {
        findings.fail("rest", probe.getValue(), "a refused write left memories behind", probe.getKey(),
          reply.toString());
      }
    }
    findings.note(checked + " refused writes with a scope of their own left nothing behind (checked each scope)");
    normalUse(run, api);
    checkLog(run, logLinesBefore);
  }

  /** REST add and search, and MCP over Streamable HTTP, WebSocket and stdio, still work as usual. */
  private static void normalUse(FuzzRun run, Api api) {
    Findings findings = run.findings;
    String user = "after-fuzz-" + Long.toHexString(run.seed).replace("-", "m");
    Reply added = api.post("/memories", new JsonObject().put("messages", "After the fuzz I drank a cup of cocoa")
      .put("user_id", user).put("infer", false));
    Reply found = api.post("/search", new JsonObject().put("query", "what did I drink after the fuzz?")
      .put("user_id", user));
    if (added.status() != 200 || found.status() != 200 || found.json().getJsonArray("results").isEmpty()
      || !found.json().getJsonArray("results").getJsonObject(0).getString("memory").contains("cocoa")) {
      findings.failAfter("REST add and search work", added + " / " + found);
    }
    try {
      McpHttp mcp = new McpHttp("http://127.0.0.1:" + run.mcpPort);
      Map<String, String> as = Map.of("X-Memgate-User", user + "-mcp");
      String session = mcp.open("/mcp", as);
      JsonObject add = mcp.tool("/mcp", session, as, "add_memories", new JsonObject().put("text",
        "After the fuzz I went for a walk by the river"));
      JsonObject search = mcp.tool("/mcp", session, as, "search_memory", new JsonObject().put("query",
        "where did I walk?"));
      if (Boolean.TRUE.equals(add.getValue("isError")) || !McpHttp.text(search).contains("river")) {
        findings.failAfter("MCP add and search work", add.encode() + " / " + search.encode());
      }
    } catch (RuntimeException e) {
      findings.failAfter("MCP add and search work", e.toString());
    }
    try (McpWebSocket socket = McpWebSocket.connect("ws://127.0.0.1:" + run.mcpPort + "/mcp/ws",
      Map.of("X-Memgate-User", user + "-ws"))) {
      JsonObject initialized = socket.call(McpHttp.request(1, "initialize", McpHttp.initializeParams("2025-11-25")));
      JsonObject pong = socket.call(McpHttp.request(2, "ping", null));
      if (!initialized.containsKey("result") || !pong.containsKey("result")) {
        findings.failAfter("MCP over WebSocket works", initialized.encode() + " / " + pong.encode());
      }
    } catch (RuntimeException | AssertionError e) {
      findings.failAfter("MCP over WebSocket works", e.toString());
    }
    try {
      run.service.send("{\"jsonrpc\":\"2.0\",\"id\":\"after-fuzz\",\"method\":\"tools/list\"}");
      String line;
      boolean answered = false;
      while ((line = run.service.nextLine(java.time.Duration.ofSeconds(15))) != null) {
        if (Conversation.answers(line, "after-fuzz")) {
          answered = new JsonObject(line).containsKey("result");
          break;
        }
      }
      if (!answered) {
        findings.failAfter("MCP over stdio works", "no tools/list result on stdout");
      }
    } catch (RuntimeException e) {
      findings.failAfter("MCP over stdio works", e.toString());
    }
  }

  /** No stack trace in the log, and no more than a little log per request. */
  private static void checkLog(FuzzRun run, int linesBefore) {
    List<String> lines = run.service.logLines();
    Path saved = Path.of("target", "fuzz-logs", run.target + "-" + run.seed + ".log");
    try {
      java.nio.file.Files.createDirectories(saved.getParent());
      java.nio.file.Files.write(saved, lines, StandardCharsets.UTF_8);
      run.findings.note("the service's log is in " + saved.toAbsolutePath());
    } catch (java.io.IOException e) {
      run.findings.note("could not save the service's log: " + e);
    }
    List<String> during = lines.subList(Math.min(linesBefore, lines.size()), lines.size());
    long bytes = during.stream().mapToLong(line -> line.getBytes(StandardCharsets.UTF_8).length + 1).sum();
    long frames = during.stream().filter(line -> line.contains("\tat ")).count();
    long allowed = LOG_BYTES_FIXED + LOG_BYTES_PER_REQUEST * run.findings.total();
    run.findings.note("the log grew by " + during.size() + " lines, " + bytes + " bytes (" + frames
      + " stack-trace frames) for " + run.findings.total() + " requests");
    if (frames > 0) {
      String first = during.stream().filter(line -> !line.startsWith("\t")).filter(line -> during.indexOf(line) + 1
        < during.size() && during.get(during.indexOf(line) + 1).startsWith("\t")).findFirst().orElse("");
      Map<String, Long> kinds = new LinkedHashMap<>();
      for (int i = 0; i + 1 < during.size(); i++) {
        if (!during.get(i).startsWith("\t") && during.get(i + 1).contains("\tat ")) {
          kinds.merge(during.get(i).replaceAll("^\\S+ ", "").replaceAll("\\d+", "N"), 1L, Long::sum);
        }
      }
      kinds.forEach((kind, count) -> run.findings.note("stack trace in the log x" + count + " after: "
        + Excerpts.of(kind, 300)));
      run.findings.failAfter("no stack traces in the log", frames + " stack-trace lines (the lines they follow are "
        + "listed in the notes above); first: " + Excerpts.of(first, 300));
    }
    if (bytes > allowed) {
      run.findings.failAfter("the log grows by a bounded amount per request", bytes + " bytes for "
        + run.findings.total() + " requests (allowed " + allowed + ")");
    }
  }
}
