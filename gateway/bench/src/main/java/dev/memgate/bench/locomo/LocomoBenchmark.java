package dev.memgate.bench.locomo;

import dev.memgate.gateway.GatewayVerticle;
import dev.memgate.gateway.config.Settings;
import dev.memgate.gateway.http.HttpVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * Retrieval quality on LoCoMo, through the real HTTP API: every turn of every conversation is added with
 * {@code infer:false} (one memory per turn, the conversation as the user, the turn's dia_id, speaker and session
 * date in metadata), then every question is sent to {@code POST /search} in its conversation's scope, and the
 * evidence turns are looked for in the results. Prints one table per split (tuning conversations, held-out
 * conversations) and writes them as JSON on request.
 *
 * <pre>gateway/bin/memgate locomo [--split tune|holdout|both] [--only conv-26,...] [--mode vector|keyword|hybrid]
 *   [--url URL] [--env KEY=VALUE ...] [--json FILE] [--data FILE] [--concurrency N]</pre>
 */
public final class LocomoBenchmark {
  private static final DateTimeFormatter SESSION_DATE = new DateTimeFormatterBuilder().parseCaseInsensitive()
    .appendPattern("h:mm a 'on' d MMMM, yyyy").toFormatter(Locale.ENGLISH);
  private static final int RETRIEVED = 50;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String mode;
  private final int concurrency;

  private LocomoBenchmark(String base, String mode, int concurrency) {
    this.base = base;
    this.mode = mode;
    this.concurrency = concurrency;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help", "-h" -> {
          System.out.println("usage: memgate locomo [--split tune|holdout|both] [--only conv-26,...] "
            + "[--mode vector|keyword|hybrid] [--url URL] [--env KEY=VALUE]... [--json FILE] [--data FILE] "
            + "[--concurrency N]");
          return;
        }
        case "--env" -> {
          String[] kv = args[++i].split("=", 2);
          env.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        default -> {
          if (!args[i].startsWith("--") || i + 1 >= args.length) {
            throw new IllegalArgumentException("unexpected argument " + args[i] + " (see --help)");
          }
          options.put(args[i].substring(2), args[++i]);
        }
      }
    }
    Path data = Path.of(options.getOrDefault("data", defaultDataFile()));
    String split = options.getOrDefault("split", "both");
    List<String> ids = switch (split) {
      case "tune" -> LocomoData.TUNE;
      case "holdout" -> LocomoData.HOLDOUT;
      case "both" -> Stream.concat(LocomoData.TUNE.stream(), LocomoData.HOLDOUT.stream()).toList();
      default -> throw new IllegalArgumentException("--split tune, holdout or both");
    };
    if (options.containsKey("only")) {
      List<String> only = List.of(options.get("only").split(","));
      ids = ids.stream().filter(only::contains).toList();
    }
    List<LocomoData.Conversation> conversations = LocomoData.load(data, ids);

    Vertx vertx = null;
    Path dataDir = null;
    String url = options.get("url");
    if (url == null) {
      dataDir = Files.createTempDirectory("memgate-locomo-");
      Map<String, String> serviceEnv = new HashMap<>(System.getenv());
      serviceEnv.put("MEMGATE_DATA_DIR", dataDir.toString());
      serviceEnv.put("MEMGATE_HTTP_PORT", "0");
      // REST only: the MCP listener takes any free port, never a running service's 8765.
      serviceEnv.put("MEMGATE_MCP_PORT", "0");
      serviceEnv.putAll(env);
      Settings settings = Settings.load(serviceEnv, null);
      vertx = Vertx.vertx();
      vertx.deployVerticle(new GatewayVerticle(settings)).await();
      url = "http://127.0.0.1:" + HttpVerticle.actualPort(vertx);
      System.err.println("locomo: in-process service at " + url + " with " + env);
    }
    try {
      LocomoBenchmark benchmark = new LocomoBenchmark(url, options.get("mode"),
        Integer.parseInt(options.getOrDefault("concurrency", "8")));
      JsonObject report = new JsonObject().put("mode", options.getOrDefault("mode", "(service default)"))
        .put("env", new JsonObject(new HashMap<>(env)));
      for (String name : List.of("tune", "holdout")) {
        List<String> wanted = name.equals("tune") ? LocomoData.TUNE : LocomoData.HOLDOUT;
        List<LocomoData.Conversation> part = conversations.stream().filter(c -> wanted.contains(c.id())).toList();
        if (!part.isEmpty()) {
          report.put(name, benchmark.run(name, part));
        }
      }
      if (options.containsKey("json")) {
        Files.writeString(Path.of(options.get("json")), report.encodePrettily());
      }
    } finally {
      if (vertx != null) {
        vertx.close().await();
      }
      if (dataDir != null) {
        try (Stream<Path> paths = Files.walk(dataDir)) {
          paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  public static String defaultDataFile() {
    for (String candidate : List.of("../shared/data/locomo10.json", "shared/data/locomo10.json",
      "../../shared/data/locomo10.json")) {
      if (Files.exists(Path.of(candidate))) {
        return candidate;
      }
    }
    return "../shared/data/locomo10.json";
  }

  private JsonObject run(String name, List<LocomoData.Conversation> conversations) throws Exception {
    RetrievalScores scores = new RetrievalScores();
    List<Long> latencies = new ArrayList<>();
    long loadStarted = System.nanoTime();
    int turns = 0;
    for (LocomoData.Conversation conversation : conversations) {
      Map<String, List<String>> diaIdsByMemory = load(conversation);
      turns += conversation.turns().size();
      for (LocomoData.Question question : conversation.questions()) {
        JsonObject request = new JsonObject().put("query", question.text()).put("user_id", conversation.id())
          .put("limit", RETRIEVED);
        if (mode != null) {
          request.put("mode", mode);
        }
        long started = System.nanoTime();
        JsonObject reply = post("/search", request);
        latencies.add(System.nanoTime() - started);
        LinkedHashSet<String> retrieved = new LinkedHashSet<>();
        for (Object hit : reply.getJsonArray("results")) {
          retrieved.addAll(diaIdsByMemory.getOrDefault(((JsonObject) hit).getString("id"), List.of()));
        }
        scores.add(question.category(), question.evidence(), new ArrayList<>(retrieved));
      }
    }
    double loadSeconds = (System.nanoTime() - loadStarted) / 1e9;
    latencies.sort(Long::compare);
    double p50 = latencies.get(latencies.size() / 2) / 1e6;
    double p95 = latencies.get((int) (latencies.size() * 0.95)) / 1e6;
    System.out.printf("%nLoCoMo %s (%s): %d conversations, %d turns, %d questions; mode %s%n", name,
      String.join(", ", conversations.stream().map(LocomoData.Conversation::id).toList()), conversations.size(),
      turns, latencies.size(), mode == null ? "(service default)" : mode);
    System.out.print(scores.table());
    System.out.printf("search latency through HTTP: p50 %.1f ms, p95 %.1f ms (total run %.0f s)%n", p50, p95,
      loadSeconds);
    return new JsonObject().put("scores", scores.toJson()).put("search_p50_ms", p50).put("search_p95_ms", p95)
      .put("questions", latencies.size()).put("turns", turns);
  }

  /** Adds every turn as one memory; returns which turns each memory id stands for (equal texts share one). */
  private Map<String, List<String>> load(LocomoData.Conversation conversation) throws Exception {
    delete("/memories?user_id=" + URLEncoder.encode(conversation.id(), StandardCharsets.UTF_8));
    Map<String, List<String>> diaIds = new ConcurrentHashMap<>();
    Semaphore slots = new Semaphore(concurrency);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> adds = new ArrayList<>();
      for (LocomoData.Turn turn : conversation.turns()) {
        slots.acquire();
        adds.add(pool.submit(() -> {
          try {
            JsonObject reply = post("/memories", addRequest(conversation.id(), turn));
            String id = reply.getJsonArray("results").getJsonObject(0).getString("id");
            diaIds.computeIfAbsent(id, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(turn.diaId());
            return null;
          } finally {
            slots.release();
          }
        }));
      }
      for (Future<?> add : adds) {
        add.get();
      }
    }
    return diaIds;
  }

  /**
   * One turn as mem0 would be sent it: the speaker as the message's name, the session's date as the add's
   * {@code timestamp} (the time the memory refers to) and, for filters, in metadata with the dia_id.
   */
  public static JsonObject addRequest(String userId, LocomoData.Turn turn) {
    JsonObject metadata = new JsonObject()
      .put("dia_id", turn.diaId())
      .put("speaker", turn.speaker())
      .put("session", turn.session())
      .put("session_date", turn.sessionDate());
    JsonObject request = new JsonObject()
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", content(turn))
        .put("name", turn.speaker())))
      .put("user_id", userId)
      .put("metadata", metadata)
      .put("infer", false);
    LocalDateTime time = sessionTime(turn);
    if (time != null) {
      metadata.put("session_time", time.toString());
      request.put("timestamp", time.toInstant(ZoneOffset.UTC).getEpochSecond());
    }
    return request;
  }

  /** The turn's text, with the caption of an image it shares (the image itself is all a reader would see). */
  static String content(LocomoData.Turn turn) {
    String content = turn.text() == null ? "" : turn.text();
    if (turn.caption() != null && !turn.caption().isBlank()) {
      content = (content + " [shares an image: " + turn.caption() + "]").strip();
    }
    return content;
  }

  /** When the turn's session took place ("1:56 pm on 8 May, 2023"), or null when it cannot be read. */
  static LocalDateTime sessionTime(LocomoData.Turn turn) {
    try {
      return LocalDateTime.parse(turn.sessionDate().strip(), SESSION_DATE);
    } catch (DateTimeParseException | NullPointerException unparsed) {
      return null;
    }
  }

  private JsonObject post(String path, JsonObject body) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
      .timeout(Duration.ofSeconds(120))
      .header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": "
        + response.body());
    }
    return new JsonObject(response.body());
  }

  private void delete(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).DELETE().build(),
      HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("DELETE " + path + " answered " + response.statusCode() + ": "
        + response.body());
    }
  }
}
