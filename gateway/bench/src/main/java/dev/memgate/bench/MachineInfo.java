package dev.memgate.bench;

import dev.memgate.gateway.Version;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where the figures were measured: they mean little without the machine and the JDK. The system load average
 * before and after the run tells whether other processes competed for the cores (negative where unknown).
 */
record MachineInfo(int cores, String cpu, String os, String jdk, long maxHeapMb, String memgateVersion,
                   double loadBefore, double loadAfter) {

  /** The one-minute system load average now. */
  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static MachineInfo current(double loadBefore) {
    return new MachineInfo(Runtime.getRuntime().availableProcessors(), cpuModel(),
      System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
      System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.vendor") + ")",
      Runtime.getRuntime().maxMemory() / (1024 * 1024), Version.current(), loadBefore, loadAverage());
  }

  /** The CPU's name where Linux tells it; "unknown" elsewhere. */
  private static String cpuModel() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return "unknown";
    }
    try (Stream<String> lines = Files.lines(cpuinfo)) {
      return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
        .findFirst().orElse("unknown");
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  JsonObject toJson() {
    return new JsonObject()
      .put("cores", cores)
      .put("cpu", cpu)
      .put("os", os)
      .put("jdk", jdk)
      .put("max_heap_mb", maxHeapMb)
      .put("memgate_version", memgateVersion)
      .put("load_average_before", LatencySummary.round(loadBefore))
      .put("load_average_after", LatencySummary.round(loadAfter));
  }
}
