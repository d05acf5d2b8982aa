package dev.memgate.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code memgate bench --abuse}: what one abusive MCP client does to everybody else. Starts Memgate as a separate
 * process (its own heap, {@code --heap}, default 1 GB as in the attack that found the defect), loads memories,
 * then measures an ordinary REST client's search latency (from 127.0.0.1) three times: quiet; while a WebSocket
 * client on 127.0.0.2 floods {@code list_memories} calls and never reads the replies; and while another one
 * pipelines thousands of calls and reads them. Reports the victim's p50/p95 in each phase and their ratio to the
 * quiet phase, the process's heap (live after collection, polled through {@code /health}) and resident high-water
 * mark, what happened to the abusive connections, and whether the service is still healthy afterwards.
 *
 * <pre>gateway/bin/memgate bench --abuse [--memories 2000] [--seconds 15] [--pipelined 5000] [--heap 1g]</pre>
 */
public final class AbuseBenchmark {
  private static final String USER = "abuse-user";
  /** A victim's search that takes longer than this counts as failed (with this as its latency). */
  private static final int REQUEST_TIMEOUT_S = 10;
  private static final List<String> QUERIES = List.of("what does my sister love", "coffee", "weekend plans",
    "who recommended the trip", "what am I worried about", "music", "the report", "running shoes");

  private final Options options;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(5)).build();
  private final Vertx vertx = Vertx.vertx();
  private Process service;
  private int restPort;
  private int mcpPort;

  private record Options(int memories, int seconds, int pipelined, String heap) {
    static Options parse(String[] args) {
      Map<String, String> values = new HashMap<>(Map.of("memories", "2000", "seconds", "15", "pipelined", "5000",
        "heap", "1g"));
      for (int i = 0; i < args.length; i++) {
        String name = args[i].replaceFirst("^--", "");
        if (name.equals("abuse")) {
          continue;
        }
        if (!values.containsKey(name) || i + 1 >= args.length) {
          throw new IllegalArgumentException("usage: memgate bench --abuse [--memories N] [--seconds N] "
            + "[--pipelined N] [--heap SIZE]");
        }
        values.put(name, args[++i]);
      }
      return new Options(Integer.parseInt(values.get("memories")), Integer.parseInt(values.get("seconds")),
        Integer.parseInt(values.get("pipelined")), values.get("heap"));
    }
  }

  private AbuseBenchmark(Options options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    AbuseBenchmark bench = new AbuseBenchmark(options);
    int code = 1;
    try {
      bench.run();
      code = 0;
    } catch (Exception e) {
      System.err.println("memgate bench --abuse: failed: " + e);
      e.printStackTrace();
    } finally {
      bench.stop();
    }
    System.exit(code);
  }

  private void run() throws Exception {
    start();
    load();
    // Warm the embedding cache and the JIT for the victim's queries, unmeasured.
    victim(Math.max(2, options.seconds / 3));

    Report report = new Report();
    Latencies quiet = victim(options.seconds);
    report.row("quiet", quiet, quiet, "");

    HeapWatch heap = new HeapWatch();
    try {
      Flood flood = new Flood();
      flood.start();
      Latencies flooded = victim(options.seconds);
      flood.stop();
      report.row("flood, not reading", flooded, quiet, flood.describe());

      Pipeline pipeline = new Pipeline(options.pipelined);
      pipeline.start();
      Latencies pipelinedLatencies = victim(options.seconds);
      pipeline.awaitOrGiveUp(Duration.ofSeconds(options.seconds * 4L));
      report.row("pipelined " + options.pipelined + ", reading", pipelinedLatencies, quiet, pipeline.describe());
    } finally {
      heap.stop();
      System.out.printf(Locale.ROOT, "heap: live after GC peak %s, heap limit %s; resident peak %s%n",
        mb(heap.peakLiveAfterGc.get()), mb(heap.max.get()), mb(heap.residentPeak.get()));
    }
    JsonObject health = health();
    System.out.printf(Locale.ROOT, "afterwards: /health %s, edge %s%n", health.getString("status"),
      health.getJsonObject("components").getJsonObject("edge").copy().put("limits", "...").encode());
  }

  private void start() throws IOException, InterruptedException {
    restPort = freePort();
    mcpPort = freePort();
    Path data = Files.createTempDirectory("memgate-abuse-");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx" + options.heap,
      "-cp", System.getProperty("java.class.path"), "dev.memgate.gateway.Main"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
      .redirectOutput(data.resolve("memgate.log").toFile());
    builder.environment().putAll(Map.of("MEMGATE_DATA_DIR", data.toString(), "MEMGATE_HTTP_PORT",
      String.valueOf(restPort), "MEMGATE_MCP_PORT", String.valueOf(mcpPort), "GRAPH_STORE", "none"));
    service = builder.start();
    Process started = service;
    Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      try {
        if (get("/health").statusCode() == 200) {
          break;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (!service.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("the service did not start; see " + data.resolve("memgate.log"));
      }
      CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(200,
        java.util.concurrent.TimeUnit.MILLISECONDS)).join();
    }
    System.err.println("memgate bench --abuse: service pid " + service.pid() + ", heap " + options.heap + ", log "
      + data.resolve("memgate.log"));
  }

  private void stop() {
    if (service != null) {
      service.destroy();
    }
    vertx.close();
  }

  private void load() throws IOException, InterruptedException {
    int perAdd = 50;
    for (int done = 0; done < options.memories; done += perAdd) {
      JsonArray messages = new JsonArray();
      for (int i = done; i < Math.min(options.memories, done + perAdd); i++) {
        messages.add(new JsonObject().put("role", "user").put("content", "Note " + i + ": my sister loves "
          + QUERIES.get(i % QUERIES.size()) + " and talks about it on day " + (i % 31)));
      }
      HttpResponse<String> reply = post("/memories", new JsonObject().put("messages", messages)
        .put("user_id", USER).put("infer", false));
      if (reply.statusCode() != 200) {
        throw new IllegalStateException("load failed: " + reply.statusCode() + " " + reply.body());
      }
    }
  }

  /** One REST client searching one query after another for the given time. */
  private Latencies victim(int seconds) throws IOException, InterruptedException {
    Latencies latencies = new Latencies();
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    for (int i = 0; System.nanoTime() < end; i++) {
      long started = System.nanoTime();
      boolean ok;
      try {
        ok = post("/search", new JsonObject().put("query", QUERIES.get(i % QUERIES.size())).put("user_id", USER)
          .put("limit", 5)).statusCode() == 200;
      } catch (IOException timedOutOrRefused) {
        ok = false;
      }
      latencies.add(System.nanoTime() - started, ok);
    }
    return latencies;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
      .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, JsonObject body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
      .timeout(Duration.ofSeconds(REQUEST_TIMEOUT_S)).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject health() throws IOException, InterruptedException {
    return new JsonObject(get("/health").body());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.0f MB", bytes / 1048576.0);
  }

  /** Opens an MCP WebSocket session from 127.0.0.2 (another client address than the victim's). */
  private Future<WebSocket> abusiveSocket() {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress("127.0.0.2")
      .setMaxFrameSize(16 << 20).setMaxMessageSize(64 << 20));
    WebSocketConnectOptions connect = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(mcpPort)
      .setURI("/mcp/ws").addSubProtocol("mcp").addHeader("X-Memgate-User", USER);
    return client.connect(connect).compose(socket -> {
      CompletableFuture<Void> initialized = new CompletableFuture<>();
      socket.textMessageHandler(text -> initialized.complete(null));
      socket.writeTextMessage(new JsonObject().put("jsonrpc", "2.0").put("id", 0).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
          .put("clientInfo", new JsonObject().put("name", "abuser").put("version", "1"))).encode());
      return Future.fromCompletionStage(initialized).map(v -> socket);
    });
  }

  /** The socket, or a failure after 30 s: a wedged service must end the benchmark, not hang it. */
  private static WebSocket within(Future<WebSocket> socket) {
    try {
      return socket.toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the MCP WebSocket did not open: " + e, e);
    }
  }

  private static String listCall(long id) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", "tools/call")
      .put("params", new JsonObject().put("name", "list_memories").put("arguments", new JsonObject())).encode();
  }

  /** Sends list_memories calls as fast as the connection takes them and never reads a reply. */
  private final class Flood {
    private final AtomicLong sent = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private WebSocket socket;

    void start() {
      socket = within(abusiveSocket());
      socket.closeHandler(v -> closed.complete("closed by the server with " + socket.closeStatusCode() + " "
        + socket.closeReason()));
      socket.exceptionHandler(err -> closed.complete("ended: " + err.getMessage()));
      // Stop reading: the replies pile up in the server's write queue and then in the kernel's buffers.
      socket.pause();
      vertx.runOnContext(v -> pump());
    }

    /** Writes in batches, yielding the event loop between them, until the connection stops taking writes. */
    private void pump() {
      for (int batch = 0; batch < 100 && running.get() && !closed.isDone() && !socket.writeQueueFull(); batch++) {
        socket.writeTextMessage(listCall(sent.incrementAndGet()));
      }
      if (!running.get() || closed.isDone()) {
        return;
      }
      if (socket.writeQueueFull()) {
        socket.drainHandler(v -> pump());
      } else {
        vertx.setTimer(1, id -> pump());
      }
    }

    void stop() {
      running.set(false);
      if (!closed.isDone()) {
        closed.complete("still open after the phase (the server had stopped reading it)");
        socket.close();
      }
    }

    String describe() {
      return sent.get() + " calls written; " + closed.getNow("open");
    }
  }

  /** Writes many calls at once and reads every reply. */
  private final class Pipeline {
    private final int calls;
    private final AtomicLong replies = new AtomicLong();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private long startedAt;
    private long finishedAt;

    Pipeline(int calls) {
      this.calls = calls;
    }

    void start() {
      WebSocket socket = within(abusiveSocket());
      startedAt = System.nanoTime();
      socket.textMessageHandler(text -> {
        if (replies.incrementAndGet() == calls) {
          finishedAt = System.nanoTime();
          done.complete(null);
          socket.close();
        }
      });
      socket.closeHandler(v -> done.complete(null));
      long[] next = {1};
      Runnable[] pump = new Runnable[1];
      pump[0] = () -> {
        for (int batch = 0; batch < 100 && next[0] <= calls && !socket.writeQueueFull(); batch++) {
          socket.writeTextMessage(listCall(next[0]++));
        }
        if (next[0] > calls || done.isDone()) {
          return;
        }
        if (socket.writeQueueFull()) {
          socket.drainHandler(v -> pump[0].run());
        } else {
          vertx.setTimer(1, id -> pump[0].run());
        }
      };
      vertx.runOnContext(v -> pump[0].run());
    }

    void awaitOrGiveUp(Duration within) {
      try {
        done.get(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (Exception notDone) {
        // reported as what was received
      }
    }

    String describe() {
      return replies.get() + " of " + calls + " replies read" + (finishedAt > 0 ? String.format(Locale.ROOT,
        " in %.1f s", (finishedAt - startedAt) / 1e9) : "");
    }
  }

  /** Polls the service's /health for its heap while the attacks run. */
  private final class HeapWatch {
    private final AtomicLong peakLiveAfterGc = new AtomicLong();
    private final AtomicLong residentPeak = new AtomicLong();
    private final AtomicLong max = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread poller;

    HeapWatch() {
      poller = Thread.ofVirtual().start(() -> {
        while (running.get()) {
          try {
            JsonObject process = health().getJsonObject("components").getJsonObject("process");
            peakLiveAfterGc.accumulateAndGet(process.getLong("heap_live_after_gc_bytes", 0L), Math::max);
            residentPeak.accumulateAndGet(process.getLong("resident_peak_bytes", 0L), Math::max);
            max.set(process.getLong("heap_max_bytes", 0L));
          } catch (Exception unanswered) {
            // counted by the victim's latencies
          }
          CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(500,
            java.util.concurrent.TimeUnit.MILLISECONDS)).join();
        }
      });
    }

    void stop() throws InterruptedException {
      running.set(false);
      poller.join();
    }
  }

  /** The victim's latencies in one phase. */
  private static final class Latencies {
    private final List<Long> nanos = new ArrayList<>();
    private int failed;

    void add(long elapsed, boolean ok) {
      nanos.add(elapsed);
      if (!ok) {
        failed++;
      }
    }

    double percentileMs(double p) {
      long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
      if (sorted.length == 0) {
        return Double.NaN;
      }
      int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
  }

  /** Prints each phase's row as soon as it is measured, so a run that ends early still shows what it saw. */
  private static final class Report {
    Report() {
      System.out.printf(Locale.ROOT, "%-28s %8s %8s %8s %9s %7s  %s%n", "victim phase", "searches", "p50 ms",
        "p95 ms", "p95/quiet", "failed", "abusive client");
    }

    void row(String phase, Latencies latencies, Latencies quiet, String abuser) {
      System.out.printf(Locale.ROOT, "%-28s %8d %8.2f %8.2f %8.2fx %7d  %s%n", phase, latencies.nanos.size(),
        latencies.percentileMs(50), latencies.percentileMs(95), latencies.percentileMs(95) / quiet.percentileMs(95),
        latencies.failed, abuser);
      System.out.flush();
    }
  }
}
