package dev.memgate.bench.startup;

import dev.memgate.bench.locomo.LocomoBenchmark;
import dev.memgate.bench.locomo.LocomoData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * {@code memgate bench --footprint}: where the service's memory goes once it holds a realistic amount of memories.
 * Launches the runtime as {@code memgate run} does (with native memory tracking on), loads every LoCoMo
 * conversation over HTTP ({@code infer:false}, one memory per turn: 5,882 memories), then asks LoCoMo's questions
 * one at a time; reports the resident memory and its breakdown ({@link MemoryBreakdown}) when ready, after the load
 * and after the searches, with the load's rate and the searches' latency, so that a setting that saves memory shows
 * what it costs in speed. Several configurations (another jar, other JVM flags) are measured one after the other in
 * one run.
 */
public final class FootprintBenchmark {
  static final String USAGE = """
    usage: memgate bench --footprint [--data FILE] [--searches N] [--concurrency C] [--variant 'NAME=FLAGS']...
                                     [--jar PATH]... [--runtime-jar PATH] [--json FILE]

    Launches the runtime as a separate process (as `memgate run` does, plus -XX:NativeMemoryTracking=summary),
    loads LoCoMo over HTTP (infer:false, C adds in flight), then sends N of its questions to POST /search one at a
    time, and reports the resident memory and where it is (mapped files, the JVM's own accounts by category,
    native memory outside them) when ready, after the load and after the searches.

      --data FILE         LoCoMo's locomo10.json (default ../shared/data/locomo10.json)
      --searches N        questions searched after the load (default 500)
      --concurrency C     adds in flight while loading (default 16)
      --variant NAME=FLAGS  also measure this build with these JVM flags instead of `memgate run`'s memory flags
                          (e.g. 'serial=-XX:+UseSerialGC -Xmx256m'); may be given several times
      --jar PATH          also measure another jar, launched as `memgate run` launched it before this work
      --runtime-jar PATH  the runtime jar (default: the memgate.jar beside this benchmark)
      --json FILE         also write every figure as JSON
    """;
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final String NMT = "-XX:NativeMemoryTracking=summary";
  private static final int DEFAULT_CONCURRENCY = 16;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(5)).build();
  private final PrintStream progress;

  private FootprintBenchmark(PrintStream progress) {
    this.progress = progress;
  }

  /** One configuration's figures. */
  record Result(LaunchConfiguration configuration, double readyMs, Map<String, MemoryBreakdown> stages,
                int memories, double loadSeconds, List<Double> searchMs) {
    double percentile(double p) {
      List<Double> sorted = searchMs.stream().sorted().toList();
      return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p)));
    }
  }

  public static void main(String[] args) {
    System.exit(execute(args, System.out, System.err));
  }

  public static int execute(String[] args, PrintStream out, PrintStream err) {
    Path data = Path.of(LocomoBenchmark.defaultDataFile());
    int searches = 500;
    int concurrency = DEFAULT_CONCURRENCY;
    Path runtimeJar = null;
    Path json = null;
    List<Path> others = new ArrayList<>();
    Map<String, List<String>> variants = new LinkedHashMap<>();
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--footprint" -> {
            // the benchmark's own name
          }
          case "--help", "-h" -> {
            out.print(USAGE);
            return 0;
          }
          case "--data" -> data = Path.of(value(args, ++i));
          case "--searches" -> searches = Integer.parseInt(value(args, ++i));
          case "--concurrency" -> concurrency = Integer.parseInt(value(args, ++i));
          case "--runtime-jar" -> runtimeJar = Path.of(value(args, ++i));
          case "--json" -> json = Path.of(value(args, ++i));
          case "--jar" -> others.add(Path.of(value(args, ++i)));
          case "--variant" -> {
            String spec = value(args, ++i);
            int eq = spec.indexOf('=');
            if (eq <= 0) {
              throw new IllegalArgumentException("--variant wants NAME=FLAGS, not " + spec);
            }
            variants.put(spec.substring(0, eq), ServiceFlags.split(spec.substring(eq + 1)));
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (!Files.isReadable(data)) {
        throw new IllegalArgumentException("--data " + data + " cannot be read (LoCoMo's locomo10.json)");
      }
      List<LaunchConfiguration> configurations = new ArrayList<>();
      for (Path other : others) {
        configurations.add(new LaunchConfiguration(other.getFileName().toString(), other, ServiceFlags.BEFORE));
      }
      Path jar = StartupBenchmark.runtimeJar(runtimeJar);
      LaunchConfiguration runtime = new LaunchConfiguration("this build", jar, ServiceFlags.service())
        .withFlags("this build", ServiceFlags.cache());
      configurations.add(runtime);
      variants.forEach((name, flags) -> configurations.add(new LaunchConfiguration(name, jar,
        ServiceFlags.REQUIRED).withFlags(name, flags).withFlags(name, ServiceFlags.cache())));
      List<LocomoData.Conversation> conversations = LocomoData.load(data, allConversations());
      FootprintBenchmark bench = new FootprintBenchmark(err);
      double loadBefore = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      List<Result> results = new ArrayList<>();
      for (LaunchConfiguration configuration : configurations) {
        results.add(bench.measure(configuration.withFlags(configuration.name(), List.of(NMT)), conversations,
          searches, concurrency));
      }
      String machine = StartupBenchmark.machine(loadBefore);
      out.print(render(results, machine, concurrency));
      out.flush();
      if (json != null) {
        Files.writeString(json, toJson(results, machine).encodePrettily() + "\n");
      }
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("memgate bench --footprint: " + e.getMessage() + " (try --help)");
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println("memgate bench --footprint: failed: " + e.getMessage());
      return 1;
    }
  }

  private static List<String> allConversations() {
    List<String> ids = new ArrayList<>(LocomoData.TUNE);
    ids.addAll(LocomoData.HOLDOUT);
    return ids;
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private Result measure(LaunchConfiguration configuration, List<LocomoData.Conversation> conversations,
                         int searches, int concurrency) throws IOException {
    Path root = Files.createTempDirectory("memgate-footprint-");
    Path dir = Files.createDirectories(root.resolve("data"));
    Map<String, MemoryBreakdown> stages = new LinkedHashMap<>();
    progress.printf(Locale.ROOT, "%s: %s%n", configuration.name(), configuration.describe());
    try (ChildService service = ChildService.launch(configuration, dir, false, Map.of())) {
      double ready = new HttpStartupProbe().measure(service, "footprint", "warm up", TIMEOUT).readyMs();
      stage(stages, "ready", service, dir);
      long started = System.nanoTime();
      int memories = load(service, conversations, concurrency);
      double loadSeconds = (System.nanoTime() - started) / 1e9;
      progress.printf(Locale.ROOT, "  loaded %d memories in %.1f s%n", memories, loadSeconds);
      stage(stages, "after load", service, dir);
      List<Double> latencies = search(service, conversations, searches);
      stage(stages, "after searches", service, dir);
      return new Result(configuration, ready, stages, memories, loadSeconds, latencies);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    } finally {
      StartupBenchmark.deleteTree(root);
    }
  }

  private void stage(Map<String, MemoryBreakdown> stages, String stage, ChildService service, Path dir) {
    MemoryBreakdown breakdown = MemoryBreakdown.of(service.pid(), health(service), dir);
    stages.put(stage, breakdown);
    progress.printf(Locale.ROOT, "  %s: resident %s MB%n", stage, mb(breakdown.residentKb()));
  }

  private int load(ChildService service, List<LocomoData.Conversation> conversations, int concurrency)
    throws InterruptedException {
    Semaphore slots = new Semaphore(concurrency);
    List<Future<?>> adds = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (LocomoData.Conversation conversation : conversations) {
        for (LocomoData.Turn turn : conversation.turns()) {
          slots.acquire();
          adds.add(pool.submit(() -> {
            try {
              post(service, "/memories", LocomoBenchmark.addRequest(conversation.id(), turn));
              return null;
            } finally {
              slots.release();
            }
          }));
        }
      }
      for (Future<?> add : adds) {
        add.get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("loading LoCoMo failed: " + e.getCause().getMessage(), e.getCause());
    }
    return adds.size();
  }

  /** LoCoMo's questions, taken in turn from each conversation, one at a time. */
  private List<Double> search(ChildService service, List<LocomoData.Conversation> conversations, int searches) {
    List<Double> latencies = new ArrayList<>();
    for (int i = 0; latencies.size() < searches; i++) {
      boolean any = false;
      for (LocomoData.Conversation conversation : conversations) {
        if (i < conversation.questions().size() && latencies.size() < searches) {
          any = true;
          long started = System.nanoTime();
          post(service, "/search", new JsonObject().put("query", conversation.questions().get(i).text())
            .put("user_id", conversation.id()).put("limit", 10));
          latencies.add((System.nanoTime() - started) / 1e6);
        }
      }
      if (!any) {
        break;
      }
    }
    return latencies;
  }

  private JsonObject post(ChildService service, String path, JsonObject body) {
    try {
      HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + service.httpPort() + path)).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
      if (reply.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + reply.statusCode() + ": " + reply.body());
      }
      return new JsonObject(reply.body());
    } catch (IOException e) {
      throw new IllegalStateException(path + " failed: " + e.getMessage() + "; log:\n" + service.logTail(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  private JsonObject health(ChildService service) {
    try {
      HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + service.httpPort() + "/health")).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
      return new JsonObject(reply.body());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  static String render(List<Result> results, String machine, int concurrency) {
    StringBuilder out = new StringBuilder();
    Result first = results.get(0);
    out.append(format("Memgate footprint: LoCoMo loaded over HTTP (%d memories, infer:false, %d in flight), then %d "
      + "of its questions searched one at a time%n", first.memories(), concurrency, first.searchMs().size()));
    out.append(format("  machine   %s%n", machine));
    out.append("  resident memory in MB; JVM figures are its committed memory by native memory tracking category\n");
    for (Result result : results) {
      out.append('\n');
      out.append(format("%s: %s%n", result.configuration().name(), result.configuration().describe()));
      List<String> stages = new ArrayList<>(result.stages().keySet());
      StringBuilder header = new StringBuilder(format("  %-44s", ""));
      stages.forEach(stage -> header.append(format("%16s", stage)));
      out.append(header).append('\n');
      line(out, "resident (RSS)", result, MemoryBreakdown::residentKb);
      line(out, "  anonymous", result, MemoryBreakdown::anonymousKb);
      line(out, "  file-backed", result, MemoryBreakdown::fileKb);
      List<String> kinds = result.stages().values().stream().flatMap(b -> b.filesKb().keySet().stream()).distinct()
        .toList();
      for (String kind : kinds) {
        line(out, "    " + kind, result, b -> b.filesKb().getOrDefault(kind, 0L));
      }
      line(out, "JVM committed, total", result, MemoryBreakdown::jvmTotalKb);
      List<String> categories = result.stages().values().stream()
        .flatMap(b -> b.jvmCommittedKb().keySet().stream()).distinct().toList();
      for (String category : categories) {
        if (result.stages().values().stream().anyMatch(b -> b.jvmCommittedKb().getOrDefault(category, 0L) >= 1024)) {
          line(out, "  " + category, result, b -> b.jvmCommittedKb().getOrDefault(category, 0L));
        }
      }
      line(out, "Java heap resident", result, MemoryBreakdown::heapResidentKb);
      line(out, "  in use", result, MemoryBreakdown::heapUsedKb);
      line(out, "  live after the last GC", result, MemoryBreakdown::heapLiveKb);
      line(out, "native outside the JVM's accounts (ONNX etc.)", result, MemoryBreakdown::untrackedNativeKb);
      line(out, "resident peak", result, MemoryBreakdown::peakKb);
      out.append(format("  ready in %.0f ms; load %.0f memories/s; search p50 %.1f ms, p95 %.1f ms%n",
        result.readyMs(), result.memories() / result.loadSeconds(), result.percentile(0.5), result.percentile(0.95)));
    }
    out.append('\n');
    out.append(format("%-28s %10s %12s %14s %12s %10s %10s%n", "configuration", "RSS ready", "after load",
      "after searches", "memories/s", "search p50", "p95"));
    for (Result result : results) {
      out.append(format("%-28s %10s %12s %14s %12.0f %10.1f %10.1f%n", result.configuration().name(),
        mb(result.stages().get("ready").residentKb()), mb(result.stages().get("after load").residentKb()),
        mb(result.stages().get("after searches").residentKb()), result.memories() / result.loadSeconds(),
        result.percentile(0.5), result.percentile(0.95)));
    }
    return out.toString();
  }

  private static void line(StringBuilder out, String label, Result result,
                           java.util.function.ToLongFunction<MemoryBreakdown> value) {
    out.append(format("  %-44s", label));
    result.stages().values().forEach(b -> out.append(format("%16s", mb(value.applyAsLong(b)))));
    out.append('\n');
  }

  private static String mb(long kb) {
    return kb == -1 ? "?" : format("%.0f", kb / 1024.0);
  }

  static JsonObject toJson(List<Result> results, String machine) {
    JsonArray all = new JsonArray();
    for (Result result : results) {
      JsonObject stages = new JsonObject();
      result.stages().forEach((stage, breakdown) -> stages.put(stage, breakdown.toJson()));
      all.add(new JsonObject().put("configuration", result.configuration().name())
        .put("command", result.configuration().describe()).put("ready_ms", result.readyMs())
        .put("memories", result.memories()).put("load_seconds", result.loadSeconds())
        .put("search_p50_ms", result.percentile(0.5)).put("search_p95_ms", result.percentile(0.95))
        .put("stages", stages));
    }
    return new JsonObject().put("machine", machine).put("configurations", all);
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
