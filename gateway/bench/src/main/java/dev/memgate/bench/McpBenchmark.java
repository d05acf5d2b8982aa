package dev.memgate.bench;

import dev.memgate.gateway.GatewayVerticle;
import dev.memgate.gateway.config.Settings;
import dev.memgate.gateway.http.HttpVerticle;
import dev.memgate.mcp.McpVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * How much MCP costs on top of the memory service: {@code search_memory} over Streamable HTTP and over WebSocket,
 * each with many concurrent sessions, beside the same search over the REST API ({@code POST /search}), on one
 * service started in this process over a fresh data directory. Prints throughput and latency percentiles per edge
 * and the MCP/REST ratios.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp gateway/bench/target/memgate-bench.jar:gateway/target/memgate.jar dev.memgate.bench.McpBenchmark
 *   [--memories 1000] [--sessions 32] [--seconds 20] [--warmup 5] [--queries 64]</pre>
 *
 * Every client runs one request at a time (closed loop), as an assistant does. Client and service share the machine.
 * The embedding cache serves repeated queries after the warm-up for every edge alike, so the comparison isolates
 * what each edge adds. With {@code MEMGATE_TLS_CERT} and {@code MEMGATE_TLS_KEY} in the environment, every edge is
 * measured over HTTPS / WSS, trusting that certificate: run it with and without them to see what TLS costs.
 */
public final class McpBenchmark {
  private static final String USER = "bench-user";
  private static final List<String> PEOPLE = List.of("my sister", "my manager", "our neighbour", "my dentist",
    "the landlord", "my best friend", "my son", "the team lead");
  private static final List<String> THINGS = List.of("dark roast coffee", "jazz records", "Italian cooking",
    "trail running", "board games", "the Lisbon trip", "the quarterly report", "Rust programming", "orchids",
    "the new apartment", "vintage bicycles", "sourdough bread");
  private static final List<String> VERBS = List.of("loves", "is worried about", "recommended", "asked about",
    "is planning", "cannot stand", "keeps forgetting", "wants to learn");
  private static final List<String> WHEN = List.of("every Monday", "since last spring", "before the holidays",
    "on weekends", "after work", "this month");

  private McpBenchmark() {
  }

  /** Command-line options. */
  private record Options(int memories, int sessions, int seconds, int warmup, int queries) {
    /** --seconds is the measured time per edge, split over two rounds; --warmup is per edge, not measured. */
    static Options parse(String[] args) {
      Map<String, Integer> values = new HashMap<>(Map.of("memories", 1000, "sessions", 32, "seconds", 20,
        "warmup", 5, "queries", 64));
      for (int i = 0; i < args.length; i++) {
        String name = args[i].replaceFirst("^--", "");
        if (name.equals("help") || !values.containsKey(name) || i + 1 >= args.length) {
          System.err.println("usage: McpBenchmark [--memories N] [--sessions N] [--seconds N] [--warmup N] "
            + "[--queries N]");
          System.exit(name.equals("help") ? 0 : 2);
        }
        values.put(name, Integer.parseInt(args[++i]));
      }
      return new Options(values.get("memories"), values.get("sessions"), values.get("seconds"),
        values.get("warmup"), values.get("queries"));
    }
  }

  /** One edge's figures. */
  private record Result(String edge, long requests, long errors, double seconds, long[] latenciesNanos) {
    double throughput() {
      return requests / seconds;
    }

    static Result merge(String edge, List<Result> parts) {
      long[] all = parts.stream().flatMapToLong(p -> Arrays.stream(p.latenciesNanos())).sorted().toArray();
      return new Result(edge, parts.stream().mapToLong(Result::requests).sum(),
        parts.stream().mapToLong(Result::errors).sum(), parts.stream().mapToDouble(Result::seconds).sum(), all);
    }

    double percentileMs(double p) {
      if (latenciesNanos.length == 0) {
        return Double.NaN;
      }
      int index = (int) Math.ceil(p / 100.0 * latenciesNanos.length) - 1;
      return latenciesNanos[Math.max(0, Math.min(index, latenciesNanos.length - 1))] / 1e6;
    }
  }

  /** A client session: sends one search and reports whether the answer was a success. */
  private interface Searcher extends AutoCloseable {
    boolean search(String query) throws Exception;

    @Override
    default void close() {
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Path dataDir = Files.createTempDirectory("memgate-mcp-bench-");
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("MEMGATE_DATA_DIR", dataDir.toString());
    env.put("MEMGATE_HTTP_PORT", "0");
    env.put("MEMGATE_MCP_PORT", "0");
    env.putIfAbsent("MEMGATE_MCP_ENABLED", "true");
    Vertx vertx = Vertx.vertx();
    try {
      Settings settings = Settings.load(env, null);
      vertx.deployVerticle(new GatewayVerticle(settings)).await();
      // With MEMGATE_TLS_CERT and MEMGATE_TLS_KEY set, both listeners speak only TLS: the clients trust that
      // certificate, and every edge is measured over HTTPS / WSS (compare with a run without them).
      String scheme = settings.tls().enabled() ? "https" : "http";
      String rest = scheme + "://127.0.0.1:" + HttpVerticle.actualPort(vertx);
      String mcp = scheme + "://127.0.0.1:" + McpVerticle.actualPort(vertx);
      HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5));
      if (settings.tls().enabled()) {
        builder.sslContext(trusting(Path.of(settings.tls().certFile())));
        System.out.printf(Locale.ROOT, "over TLS with %s%n", settings.tls().certFile());
      }
      HttpClient http = builder.build();

      System.out.printf(Locale.ROOT, "seeding %d memories for %s ...%n", options.memories(), USER);
      long seedStart = System.nanoTime();
      seed(http, rest, options.memories());
      System.out.printf(Locale.ROOT, "seeded in %.1f s%n", (System.nanoTime() - seedStart) / 1e9);
      List<String> queries = queries(options.queries());

      Map<String, SearcherFactory> edges = new java.util.LinkedHashMap<>();
      edges.put("REST POST /search", () -> new RestSearcher(http, rest));
      edges.put("MCP Streamable HTTP", () -> new StreamableSearcher(http, mcp));
      edges.put("MCP WebSocket", () -> new WebSocketSearcher(http, mcp.replaceFirst("^http", "ws") + "/mcp/ws"));
      // Every edge warms up before any is measured, and the measurement runs in two rounds in opposite orders,
      // so that neither JIT warm-up nor drift over time favours one edge.
      for (Map.Entry<String, SearcherFactory> edge : edges.entrySet()) {
        run(edge.getKey() + " (warm-up)", options.sessions(), options.warmup(), queries, edge.getValue());
      }
      int half = Math.max(1, options.seconds() / 2);
      Map<String, List<Result>> rounds = new java.util.LinkedHashMap<>();
      List<String> order = new ArrayList<>(edges.keySet());
      for (int round = 0; round < 2; round++) {
        for (String edge : order) {
          rounds.computeIfAbsent(edge, e -> new ArrayList<>())
            .add(run(edge, options.sessions(), half, queries, edges.get(edge)));
        }
        java.util.Collections.reverse(order);
      }
      List<Result> results = new ArrayList<>();
      rounds.forEach((edge, parts) -> results.add(Result.merge(edge, parts)));
      report(options, results);
    } finally {
      vertx.close().await();
      try (Stream<Path> paths = Files.walk(dataDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** A TLS context that trusts the certificates of this PEM file (the service's own, self-signed or its CA's). */
  private static SSLContext trusting(Path pem) throws IOException, GeneralSecurityException {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    int n = 0;
    try (InputStream in = Files.newInputStream(pem)) {
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trusted.setCertificateEntry("cert-" + n++, certificate);
      }
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  private static void seed(HttpClient http, String rest, int count) throws IOException, InterruptedException {
    int batch = 50;
    for (int from = 0; from < count; from += batch) {
      JsonArray messages = new JsonArray();
      for (int i = from; i < Math.min(count, from + batch); i++) {
        messages.add(new JsonObject().put("role", "user").put("content", fact(i)));
      }
      JsonObject body = new JsonObject().put("messages", messages).put("user_id", USER).put("infer", false);
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(rest + "/memories"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("seeding failed: " + response.statusCode() + " " + response.body());
      }
    }
  }

  private static String fact(int i) {
    return PEOPLE.get(i % PEOPLE.size()) + " " + VERBS.get((i / PEOPLE.size()) % VERBS.size()) + " "
      + THINGS.get((i / 7) % THINGS.size()) + " " + WHEN.get((i / 11) % WHEN.size()) + " (note " + i + ")";
  }

  private static List<String> queries(int count) {
    List<String> queries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      queries.add("what does " + PEOPLE.get(i % PEOPLE.size()) + " think about " + THINGS.get((i * 5) % THINGS.size())
        + "?");
    }
    return queries;
  }

  /** Opens the sessions and lets each run searches back to back for the given time. */
  private static Result run(String edge, int sessions, int seconds, List<String> queries,
                            SearcherFactory factory) throws Exception {
    System.out.printf(Locale.ROOT, "%s: %d sessions for %d s ...%n", edge, sessions, seconds);
    List<Searcher> searchers = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      searchers.add(factory.open());
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicLong errors = new AtomicLong();
    List<long[]> perSession = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(searchers.size());
    for (int s = 0; s < searchers.size(); s++) {
      Searcher searcher = searchers.get(s);
      int offset = s;
      Thread.ofVirtual().start(() -> {
        long[] samples = new long[4096];
        int count = 0;
        int i = offset;
        try {
          for (long start = System.nanoTime(); start < end; start = System.nanoTime()) {
            boolean ok = searcher.search(queries.get(i++ % queries.size()));
            long finished = System.nanoTime();
            if (!ok) {
              errors.incrementAndGet();
            } else if (finished <= end) {
              if (count == samples.length) {
                samples = Arrays.copyOf(samples, count * 2);
              }
              samples[count++] = finished - start;
            }
          }
        } catch (Exception e) {
          errors.incrementAndGet();
          System.err.println(edge + ": session failed: " + e);
        } finally {
          synchronized (perSession) {
            perSession.add(Arrays.copyOf(samples, count));
          }
          done.countDown();
        }
      });
    }
    done.await();
    searchers.forEach(Searcher::close);
    long[] all = perSession.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    return new Result(edge, all.length, errors.get(), seconds, all);
  }

  @FunctionalInterface
  private interface SearcherFactory {
    Searcher open() throws Exception;
  }

  private static void report(Options options, List<Result> results) {
    System.out.printf(Locale.ROOT, "%nsearch over %d memories, %d concurrent sessions, %d s each, %d cores%n",
      options.memories(), options.sessions(), options.seconds(), Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "%-22s %10s %8s %10s %9s %9s %9s%n", "edge", "requests", "errors", "req/s",
      "p50 ms", "p95 ms", "p99 ms");
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "%-22s %10d %8d %10.1f %9.2f %9.2f %9.2f%n", r.edge(), r.requests(), r.errors(),
        r.throughput(), r.percentileMs(50), r.percentileMs(95), r.percentileMs(99));
    }
    Result rest = results.get(0);
    for (Result mcp : results.subList(1, results.size())) {
      System.out.printf(Locale.ROOT, "%s / REST: throughput x%.2f, p50 x%.2f, p95 x%.2f%n", mcp.edge(),
        mcp.throughput() / rest.throughput(), mcp.percentileMs(50) / rest.percentileMs(50),
        mcp.percentileMs(95) / rest.percentileMs(95));
    }
  }

  /** mem0's REST search. */
  private static final class RestSearcher implements Searcher {
    private final HttpClient http;
    private final URI uri;

    RestSearcher(HttpClient http, String base) {
      this.http = http;
      this.uri = URI.create(base + "/search");
    }

    @Override
    public boolean search(String query) throws Exception {
      String body = new JsonObject().put("query", query).put("user_id", USER).put("limit", 10).encode();
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Content-Type",
        "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
      // Parsed like the MCP answers below, so that every edge pays the same client-side cost.
      return response.statusCode() == 200 && new JsonObject(response.body()).containsKey("results");
    }
  }

  /** One MCP Streamable HTTP session (initialize once, then tools/call per search). */
  private static final class StreamableSearcher implements Searcher {
    private final HttpClient http;
    private final URI uri;
    private final String session;
    private long ids;

    StreamableSearcher(HttpClient http, String base) throws Exception {
      this.http = http;
      this.uri = URI.create(base + "/mcp");
      HttpResponse<String> init = post(initialize(), null);
      session = init.headers().firstValue("Mcp-Session-Id").orElseThrow(() ->
        new IllegalStateException("initialize failed: " + init.body()));
      post(new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"), session);
    }

    private HttpResponse<String> post(JsonObject message, String sessionId) throws Exception {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .header("X-Memgate-User", USER)
        .POST(HttpRequest.BodyPublishers.ofString(message.encode()));
      if (sessionId != null) {
        request.header("Mcp-Session-Id", sessionId).header("MCP-Protocol-Version", "2025-11-25");
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public boolean search(String query) throws Exception {
      HttpResponse<String> response = post(searchCall(++ids, query), session);
      return response.statusCode() == 200 && isToolSuccess(response.body());
    }

    @Override
    public void close() {
      try {
        http.send(HttpRequest.newBuilder(uri).header("Mcp-Session-Id", session).DELETE().build(),
          HttpResponse.BodyHandlers.discarding());
      } catch (IOException | InterruptedException e) {
        // the benchmark is over either way
      }
    }
  }

  /** One MCP WebSocket connection (initialize once, then tools/call per search). */
  private static final class WebSocketSearcher implements Searcher, WebSocket.Listener {
    private final WebSocket socket;
    private final StringBuilder partial = new StringBuilder();
    private volatile CompletableFuture<String> pending;
    private long ids;

    WebSocketSearcher(HttpClient http, String url) throws Exception {
      socket = http.newWebSocketBuilder().subprotocols("mcp").header("X-Memgate-User", USER)
        .buildAsync(URI.create(url), this).get(10, TimeUnit.SECONDS);
      exchange(initialize());
      socket.sendText(new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized").encode(),
        true).join();
    }

    private String exchange(JsonObject message) throws Exception {
      CompletableFuture<String> answer = new CompletableFuture<>();
      pending = answer;
      socket.sendText(message.encode(), true).join();
      return answer.get(60, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        pending.complete(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public boolean search(String query) throws Exception {
      return isToolSuccess(exchange(searchCall(++ids, query)));
    }

    @Override
    public void close() {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
  }

  private static JsonObject initialize() {
    return new JsonObject().put("jsonrpc", "2.0").put("id", 0).put("method", "initialize").put("params",
      new JsonObject().put("protocolVersion", "2025-11-25").put("capabilities", new JsonObject())
        .put("clientInfo", new JsonObject().put("name", "memgate-mcp-benchmark").put("version", "1")));
  }

  private static JsonObject searchCall(long id, String query) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", "tools/call").put("params",
      new JsonObject().put("name", "search_memory").put("arguments", new JsonObject().put("query", query)
        .put("limit", 10)));
  }

  private static boolean isToolSuccess(String body) {
    JsonObject reply = new JsonObject(body);
    JsonObject result = reply.getJsonObject("result");
    return result != null && !result.getBoolean("isError", false) && result.containsKey("structuredContent");
  }
}
