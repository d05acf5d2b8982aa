package dev.memgate.bench;

import io.vertx.core.json.JsonObject;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code memgate bench --access}: what authentication and rate limiting cost a search. Starts two services in this
 * JVM over the same generated memories: one with an API key and rate limits on (the defaults), one open with rate
 * limits off; then sends the same searches to both, alternating which goes first, one at a time, so that both meet
 * the same machine. Reports each one's latency and the ratio of their p95 (the goal: at most 1.05). Of two services in
 * one JVM the one started first measured slower, whichever it was; so the run has two rounds with fresh services,
 * half of the searches each, one starting the open service first and one the guarded one, and pools them (each
 * round's own ratio is shown too).
 *
 * <pre>gateway/bin/memgate bench --access [--memories 2000] [--searches 1000] [--warmup 200] [--seed 42]</pre>
 */
public final class AccessCostBenchmark {
  private static final int USERS = 10;
  private static final int LOAD_CONCURRENCY = 8;

  private record Options(int memories, int searches, int warmup, long seed) {
    static Options parse(String[] args) {
      Map<String, String> values = new HashMap<>(Map.of("memories", "2000", "searches", "1000", "warmup", "200",
        "seed", "42"));
      for (int i = 0; i < args.length; i++) {
        String name = args[i].replaceFirst("^--", "");
        if (name.equals("access")) {
          continue;
        }
        if (!values.containsKey(name) || i + 1 >= args.length) {
          throw new IllegalArgumentException("usage: memgate bench --access [--memories N] [--searches N] "
            + "[--warmup N] [--seed N]");
        }
        values.put(name, args[++i]);
      }
      return new Options(Integer.parseInt(values.get("memories")), Integer.parseInt(values.get("searches")),
        Integer.parseInt(values.get("warmup")), Long.parseLong(values.get("seed")));
    }
  }

  /** One service under measurement and its client. */
  private record Side(ServiceUnderTest service, ApiClient api, BenchDataDir data) implements AutoCloseable {
    @Override
    public void close() {
      api.close();
      service.close();
      data.close();
    }
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("memgate bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      System.out.print(run(options));
      System.out.flush();
      System.exit(0);
    } catch (RuntimeException e) {
      System.err.println("memgate bench --access: failed: " + e.getMessage());
      System.exit(1);
    }
  }

  private static String run(Options options) {
    double loadBefore = MachineInfo.loadAverage();
    CorpusGenerator corpus = new CorpusGenerator(options.seed());
    List<Fact> facts = corpus.facts(options.memories(), CorpusGenerator.userIds(USERS));
    List<Question> warmup = corpus.questions(facts, options.warmup());
    List<Question> timed = corpus.questions(facts, options.searches());
    long[] guardedNanos = new long[timed.size()];
    long[] openNanos = new long[timed.size()];
    int half = timed.size() / 2;
    // Two rounds with fresh services, started in both orders: the one started first in a JVM measured slower.
    String first = round(true, facts, warmup, timed, 0, half, guardedNanos, openNanos);
    String second = round(false, facts, warmup, timed, half, timed.size(), guardedNanos, openNanos);
    return report(options, LatencySummary.of(guardedNanos), LatencySummary.of(openNanos), loadBefore)
      + "  round 1 (open service started first): " + first + "\n"
      + "  round 2 (guarded service started first): " + second + "\n";
  }

  /**
   * Starts both services in the given order, loads and warms them, and times the searches {@code from} to
   * {@code to}; returns the round's own ratios.
   */
  private static String round(boolean openFirst, List<Fact> facts, List<Question> warmup, List<Question> timed,
                              int from, int to, long[] guardedNanos, long[] openNanos) {
    String key = "mk-bench-" + HexFormat.of().formatHex(SecureRandom.getSeed(16));
    Map<String, String> openEnv = Map.of("MEMGATE_RATE_LIMIT_ENABLED", "false");
    Map<String, String> guardedEnv = Map.of("MEMGATE_API_KEY", key, "MEMGATE_RATE_LIMIT_ENABLED", "true");
    try (Side firstSide = openFirst ? start(openEnv, null) : start(guardedEnv, key);
         Side secondSide = openFirst ? start(guardedEnv, key) : start(openEnv, null)) {
      Side open = openFirst ? firstSide : secondSide;
      Side guarded = openFirst ? secondSide : firstSide;
      String probe = "/memories?user_id=" + facts.get(0).userId();
      if (guarded.api().headersOf(probe).firstValue("RateLimit-Policy").isEmpty()) {
        throw new BenchFailure("the guarded service sends no RateLimit-Policy: its limits are not on");
      }
      if (open.api().headersOf(probe).firstValue("RateLimit-Policy").isPresent()) {
        throw new BenchFailure("the open service sends RateLimit-Policy: its limits are on");
      }
      for (Side side : List.of(firstSide, secondSide)) {
        new LoadPhase(side.api(), LOAD_CONCURRENCY, 1).run(facts);
        for (Question question : warmup) {
          search(side.api(), question);
        }
      }
      for (int i = from; i < to; i++) {
        Question question = timed.get(i);
        // Alternate which service answers first, so neither always meets a warmer cache or a quieter moment.
        if (i % 2 == 0) {
          guardedNanos[i] = timedSearch(guarded.api(), question);
          openNanos[i] = timedSearch(open.api(), question);
        } else {
          openNanos[i] = timedSearch(open.api(), question);
          guardedNanos[i] = timedSearch(guarded.api(), question);
        }
      }
      LatencySummary g = LatencySummary.of(Arrays.copyOfRange(guardedNanos, from, to));
      LatencySummary o = LatencySummary.of(Arrays.copyOfRange(openNanos, from, to));
      return String.format(Locale.ROOT, "%.3fx at p50, %.3fx at p95", g.p50Ms() / o.p50Ms(), g.p95Ms() / o.p95Ms());
    }
  }

  private static Side start(Map<String, String> env, String key) {
    BenchDataDir data = BenchDataDir.prepare(null, false);
    ServiceUnderTest service = ServiceUnderTest.start(ServiceUnderTest.settings(new LuceneTarget(), data.path(), env));
    return new Side(service, new ApiClient(service.port(), key), data);
  }

  private static long timedSearch(ApiClient api, Question question) {
    long begin = System.nanoTime();
    search(api, question);
    return System.nanoTime() - begin;
  }

  private static void search(ApiClient api, Question question) {
    JsonObject reply = api.post("/search", new JsonObject()
      .put("query", question.text())
      .put("user_id", question.userId())
      .put("limit", HttpSearchPhase.LIMIT)
      .put("mode", HttpSearchPhase.MODE));
    if (reply.getJsonArray("results") == null) {
      throw new BenchFailure("POST /search answered without results: " + reply.encode());
    }
  }

  private static String report(Options options, LatencySummary guarded, LatencySummary open, double loadBefore) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "access cost of a search: %d memories, %d users, %d searches each, one at "
      + "a time, alternating; load average before %.2f, after %.2f%n%n", options.memories(), USERS,
      options.searches(), loadBefore, MachineInfo.loadAverage()));
    out.append(String.format(Locale.ROOT, "| %-20s | %8s | %8s | %8s | %8s |%n", "service", "mean ms", "p50 ms",
      "p95 ms", "p99 ms"));
    out.append("|----------------------|----------|----------|----------|----------|\n");
    for (Map.Entry<String, LatencySummary> row : List.of(Map.entry("key + rate limits", guarded),
      Map.entry("no key, no limits", open))) {
      LatencySummary l = row.getValue();
      out.append(String.format(Locale.ROOT, "| %-20s | %8.2f | %8.2f | %8.2f | %8.2f |%n", row.getKey(), l.meanMs(),
        l.p50Ms(), l.p95Ms(), l.p99Ms()));
    }
    out.append(String.format(Locale.ROOT, "%nkey + rate limits / none: %.3fx at p50, %.3fx at p95 (goal at p95: at "
      + "most 1.05x)%n", guarded.p50Ms() / open.p50Ms(), guarded.p95Ms() / open.p95Ms()));
    return out.toString();
  }
}
