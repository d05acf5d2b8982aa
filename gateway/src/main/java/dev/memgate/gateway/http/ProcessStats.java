package dev.memgate.gateway.http;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's memory as an operator (or the abusive-client benchmark) wants to see it in {@code /health}: the
 * heap in use, what was live after the last collection (what a client can pin; garbage does not count), the
 * limit, and on Linux the resident size with its high-water mark.
 */
final class ProcessStats {
  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcessStats() {
  }

  static JsonObject snapshot() {
    Runtime runtime = Runtime.getRuntime();
    long afterGc = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage collected = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
      if (collected != null) {
        afterGc += collected.getUsed();
      }
    }
    JsonObject stats = new JsonObject()
      .put("status", "UP")
      .put("heap_used_bytes", runtime.totalMemory() - runtime.freeMemory())
      .put("heap_live_after_gc_bytes", afterGc)
      .put("heap_max_bytes", runtime.maxMemory());
    if (Files.isReadable(STATUS)) {
      try {
        for (String line : Files.readAllLines(STATUS)) {
          if (line.startsWith("VmRSS:")) {
            stats.put("resident_bytes", kilobytes(line) * 1024);
          } else if (line.startsWith("VmHWM:")) {
            stats.put("resident_peak_bytes", kilobytes(line) * 1024);
          }
        }
      } catch (IOException | RuntimeException unreadable) {
        // Not Linux, or not allowed: the heap figures stand alone.
      }
    }
    return stats;
  }

  private static long kilobytes(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }
}
