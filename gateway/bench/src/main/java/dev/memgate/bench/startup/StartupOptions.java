package dev.memgate.bench.startup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The start-up benchmark's command line. Parsing never touches the machine; a bad value is refused with an
 * {@link IllegalArgumentException} naming the option.
 *
 * @param runs        launches per configuration, data directory and mode
 * @param runtimeJar  the runtime jar to measure; null: the {@code memgate.jar} on this class path
 * @param otherJars   older (or other) runtime jars to compare with, launched as {@code memgate run} launched them
 *                    before the start-up work
 * @param modes       {@code http}, {@code stdio} or both
 * @param memories    memories in the seeded data directory (0: fresh directories only)
 * @param cache       {@code both}, {@code with} or {@code without} the ahead-of-time cache the run script built
 */
record StartupOptions(int runs, Path runtimeJar, List<Path> otherJars, List<String> modes, int memories,
                      String cache, Path jsonFile, boolean help) {

  static final String USAGE = """
    usage: memgate bench --startup [--runs N] [--jar PATH]... [--mode http|stdio|both] [--memories N]
                                   [--cache both|with|without] [--runtime-jar PATH] [--json FILE]

    Launches the runtime as a separate process (java <flags> -jar memgate.jar, as `memgate run` does), N times per
    configuration, over a fresh data directory and over one that already holds memories, on free loopback ports,
    interleaving the configurations so that the machine's load weighs on all alike. Measures, from the launch:
      over HTTP   the first GET /health answered 200 UP, and the first POST /search answered (it needs the model);
      over stdio  the answer to MCP initialize, then to a first tools/call of search_memory;
    and the resident memory when ready. Prints median (min-max) per row and each median's ratio to the first
    configuration's.

      --runs N          launches per row (default 7)
      --jar PATH        also measure this jar (e.g. a build from before a change), launched with the flags
                        `memgate run` used before the start-up work; may be given several times
      --mode M          http, stdio or both (default both)
      --memories N      memories in the second data directory (default 3000; 0: fresh directories only)
      --cache C         the ahead-of-time cache (CDS archive before JDK 25) that `memgate build` made: measure the
                        runtime jar both with and without it, or only with or without it (default both, when the
                        run script passed one)
      --runtime-jar P   the runtime jar to measure (default: the memgate.jar beside this benchmark)
      --json FILE       also write every launch and the summary as JSON
      --help            this text
    """;

  static StartupOptions parse(String[] args) {
    int runs = 7;
    Path runtimeJar = null;
    List<Path> otherJars = new ArrayList<>();
    List<String> modes = List.of("http", "stdio");
    int memories = 3000;
    String cache = "both";
    Path json = null;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--startup" -> {
          // the benchmark's own name
        }
        case "--help", "-h" -> help = true;
        case "--runs" -> runs = positive(arg, value(args, ++i, arg));
        case "--memories" -> {
          memories = whole(arg, value(args, ++i, arg));
        }
        case "--jar" -> otherJars.add(Path.of(value(args, ++i, arg)));
        case "--runtime-jar" -> runtimeJar = Path.of(value(args, ++i, arg));
        case "--json" -> json = Path.of(value(args, ++i, arg));
        case "--mode" -> modes = switch (value(args, ++i, arg)) {
          case "http" -> List.of("http");
          case "stdio" -> List.of("stdio");
          case "both" -> List.of("http", "stdio");
          default -> throw new IllegalArgumentException("--mode must be http, stdio or both");
        };
        case "--cache" -> {
          cache = value(args, ++i, arg);
          if (!List.of("both", "with", "without").contains(cache)) {
            throw new IllegalArgumentException("--cache must be both, with or without");
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    return new StartupOptions(runs, runtimeJar, List.copyOf(otherJars), modes, memories, cache, json, help);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static int whole(String option, String text) {
    try {
      int value = Integer.parseInt(text);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a whole number, not " + text);
    }
  }

  private static int positive(String option, String text) {
    int value = whole(option, text);
    if (value == 0) {
      throw new IllegalArgumentException(option + " must be at least 1");
    }
    return value;
  }
}
