package dev.memgate.bench.startup;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code memgate bench --startup}: how long the runtime takes to start, as the people who start it see it (a service
 * started with {@code memgate run}, a desktop app that starts it over stdio every time it opens), and how much
 * memory it holds when ready. See {@link StartupOptions#USAGE}. The table goes to stdout, progress to stderr. Exit
 * code 0 when every launch measured, 2 for a bad command line, 1 when a launch failed.
 */
public final class StartupBenchmark {
  private static final String QUERY = "Who moved to Lisbon?";
  private static final Duration LAUNCH_TIMEOUT = Duration.ofMinutes(3);

  private final StartupOptions options;
  private final PrintStream progress;

  private StartupBenchmark(StartupOptions options, PrintStream progress) {
    this.options = options;
    this.progress = progress;
  }

  public static void main(String[] args) {
    System.exit(execute(args, System.out, System.err));
  }

  /** Runs the command line and returns its exit code. */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    StartupOptions options;
    try {
      options = StartupOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("memgate bench --startup: " + e.getMessage() + " (try --help)");
      return 2;
    }
    if (options.help()) {
      out.print(StartupOptions.USAGE);
      return 0;
    }
    try {
      StartupReport report = new StartupBenchmark(options, err).run();
      out.print(report.render());
      out.flush();
      if (options.jsonFile() != null) {
        Files.writeString(options.jsonFile(), report.toJson().encodePrettily() + "\n");
      }
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("memgate bench --startup: " + e.getMessage());
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println("memgate bench --startup: failed: " + e.getMessage());
      return 1;
    }
  }

  private StartupReport run() throws IOException {
    List<LaunchConfiguration> configurations = configurations(options, runtimeJar(options.runtimeJar()));
    List<String> dataStates = options.memories() > 0 ? List.of("fresh", options.memories() + " memories")
      : List.of("fresh");
    double loadBefore = loadAverage();
    Path root = Files.createTempDirectory("memgate-startup-");
    try {
      Map<Path, Path> seeded = new LinkedHashMap<>();
      if (options.memories() > 0) {
        for (LaunchConfiguration configuration : configurations) {
          if (!seeded.containsKey(configuration.jar())) {
            Path dir = root.resolve("seeded-" + seeded.size());
            progress.printf(Locale.ROOT, "seeding %s with %d memories using %s%n", dir, options.memories(),
              configuration.jar());
            SeededDataDir.fill(configuration, dir, options.memories(), LAUNCH_TIMEOUT);
            seeded.put(configuration.jar(), dir);
          }
        }
      }
      StartupReport report = null;
      List<StartupSample> samples = new ArrayList<>();
      int launch = 0;
      for (int run = 1; run <= options.runs(); run++) {
        for (LaunchConfiguration configuration : configurations) {
          for (String data : dataStates) {
            for (String mode : options.modes()) {
              Path dir = data.equals("fresh") ? Files.createDirectories(root.resolve("fresh-" + launch++))
                : seeded.get(configuration.jar());
              StartupSample sample = measure(configuration, dir, data, mode);
              progress.printf(Locale.ROOT, "run %d/%d  %-22s %-15s %-5s ready %6.0f ms, first search %6.0f ms, "
                + "RSS %4.0f MB%n", run, options.runs(), configuration.name(), data, mode, sample.readyMs(),
                sample.firstAnswerMs(), sample.residentBytes() / 1048576.0);
              samples.add(sample);
              if (data.equals("fresh")) {
                deleteTree(dir);
              }
            }
          }
        }
      }
      report = new StartupReport(configurations, dataStates, options.modes(), machine(loadBefore),
        options.memories() > 0 ? "fresh = an empty data directory per launch; " + options.memories()
          + " memories = one store of that many short memories (of one user), opened by every launch of a jar"
          : "fresh = an empty data directory per launch");
      samples.forEach(report::add);
      return report;
    } finally {
      deleteTree(root);
    }
  }

  private StartupSample measure(LaunchConfiguration configuration, Path dir, String data, String mode) {
    if (mode.equals("http")) {
      try (ChildService service = ChildService.launch(configuration, dir, false, Map.of())) {
        HttpStartupProbe.Timings timings = new HttpStartupProbe().measure(service, SeededDataDir.USER, QUERY,
          LAUNCH_TIMEOUT);
        return new StartupSample(configuration.name(), data, mode, timings.readyMs(), timings.firstAnswerMs(),
          timings.residentAtReadyBytes());
      }
    }
    ChildService service = ChildService.launch(configuration, dir, true,
      Map.of("MEMGATE_DEFAULT_USER", SeededDataDir.USER));
    try {
      StdioStartupProbe.Timings timings = new StdioStartupProbe().measure(service, QUERY, LAUNCH_TIMEOUT);
      return new StartupSample(configuration.name(), data, mode, timings.initializeMs(), timings.firstCallMs(),
        timings.residentBytes());
    } finally {
      service.close();
    }
  }

  /**
   * Each other jar first (the first one is what the ratios compare with), then the runtime jar without and with the
   * cache the run script built.
   */
  static List<LaunchConfiguration> configurations(StartupOptions options, Path runtimeJar) {
    List<LaunchConfiguration> configurations = new ArrayList<>();
    for (Path other : options.otherJars()) {
      if (!Files.isRegularFile(other)) {
        throw new IllegalArgumentException("--jar " + other + " is not a file");
      }
      configurations.add(new LaunchConfiguration(other.getFileName().toString(), other, ServiceFlags.BEFORE));
    }
    List<String> cache = ServiceFlags.cache();
    if (cache.isEmpty() && options.cache().equals("with")) {
      throw new IllegalArgumentException("--cache with: no ahead-of-time cache was passed in "
        + ServiceFlags.CACHE_ENV + " (gateway/bin/memgate build makes one; run through gateway/bin/memgate bench)");
    }
    LaunchConfiguration runtime = new LaunchConfiguration("this build", runtimeJar, ServiceFlags.service());
    if (!options.cache().equals("with")) {
      configurations.add(runtime);
    }
    if (!cache.isEmpty() && !options.cache().equals("without")) {
      boolean aot = cache.stream().anyMatch(flag -> flag.startsWith("-XX:AOTCache"));
      configurations.add(runtime.withFlags(aot ? "this build + AOT cache" : "this build + CDS archive", cache));
    }
    return configurations;
  }

  /** The given jar, or the runtime jar this benchmark runs beside ({@code java -cp memgate-bench.jar:memgate.jar}). */
  static Path runtimeJar(Path given) {
    if (given != null) {
      if (!Files.isRegularFile(given)) {
        throw new IllegalArgumentException("--runtime-jar " + given + " is not a file");
      }
      return given;
    }
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
      .map(Path::of).filter(p -> p.getFileName() != null && p.getFileName().toString().equals("memgate.jar"))
      .filter(Files::isRegularFile).findFirst()
      .orElseThrow(() -> new IllegalArgumentException("no memgate.jar on the class path: run it through "
        + "gateway/bin/memgate bench --startup, or give --runtime-jar"));
  }

  static String machine(double loadBefore) {
    return String.format(Locale.ROOT, "%d cores, %s %s, JDK %s; load average %.1f before, %.1f after",
      Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
      System.getProperty("java.runtime.version"), loadBefore, loadAverage());
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary directory
    }
  }
}
