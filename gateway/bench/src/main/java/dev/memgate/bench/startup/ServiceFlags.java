package dev.memgate.bench.startup;

import java.util.Arrays;
import java.util.List;

/**
 * The JVM flags the service is launched with. {@code gateway/bin/memgate} is where they are decided; it hands them to
 * the benchmark in {@code MEMGATE_SERVICE_JVM_FLAGS} (and the ahead-of-time cache's flags, when it has built one, in
 * {@code MEMGATE_STARTUP_CACHE_FLAGS}), so that the benchmark launches exactly what {@code memgate run} launches.
 * Run by hand without them, it falls back to the flags every launch needs.
 */
final class ServiceFlags {
  static final String SERVICE_ENV = "MEMGATE_SERVICE_JVM_FLAGS";
  static final String CACHE_ENV = "MEMGATE_STARTUP_CACHE_FLAGS";

  /** What any launch of the runtime needs: Lucene's SIMD code, native access for ONNX Runtime and the tokenizer. */
  static final List<String> REQUIRED = List.of("--add-modules", "jdk.incubator.vector",
    "--enable-native-access=ALL-UNNAMED");

  /**
   * How {@code memgate run} launched the service before the start-up and footprint work (no heap or collector
   * settings of its own, no cache): the flags an older jar given with {@code --jar} is launched with.
   */
  static final List<String> BEFORE = List.of("--add-modules", "jdk.incubator.vector",
    "--enable-native-access=ALL-UNNAMED", "-XX:+UseG1GC", "--sun-misc-unsafe-memory-access=allow");

  private ServiceFlags() {
  }

  /** The flags of {@code memgate run}, without the cache's. */
  static List<String> service() {
    List<String> given = split(System.getenv(SERVICE_ENV));
    return given.isEmpty() ? REQUIRED : given;
  }

  /** Whether the flags came from the run script (else the fallback). */
  static boolean fromRunScript() {
    return !split(System.getenv(SERVICE_ENV)).isEmpty();
  }

  /** The flags that use the ahead-of-time cache (or CDS archive) the run script built, or none. */
  static List<String> cache() {
    return split(System.getenv(CACHE_ENV));
  }

  static List<String> split(String flags) {
    return flags == null || flags.isBlank() ? List.of() : Arrays.stream(flags.strip().split("\\s+")).toList();
  }
}
