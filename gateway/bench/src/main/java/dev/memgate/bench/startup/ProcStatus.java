package dev.memgate.bench.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A process's memory as Linux's {@code /proc/<pid>/status} gives it, in kilobytes: {@code VmRSS} (resident),
 * {@code RssAnon} (heap, native allocations, thread stacks), {@code RssFile} (mapped files: the jar, native
 * libraries, Lucene's index), {@code VmHWM} (resident peak). Empty elsewhere, where every value reads -1.
 */
final class ProcStatus {
  private final Map<String, Long> kilobytes;

  private ProcStatus(Map<String, Long> kilobytes) {
    this.kilobytes = kilobytes;
  }

  static ProcStatus of(long pid) {
    Map<String, Long> values = new HashMap<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.endsWith(" kB")) {
          values.put(line.substring(0, colon), Long.parseLong(line.substring(colon + 1, line.length() - 3).strip()));
        }
      }
    } catch (IOException | RuntimeException notLinuxOrGone) {
      // every value reads -1
    }
    return new ProcStatus(values);
  }

  long kilobytes(String field) {
    return kilobytes.getOrDefault(field, -1L);
  }

  boolean known() {
    return !kilobytes.isEmpty();
  }
}
