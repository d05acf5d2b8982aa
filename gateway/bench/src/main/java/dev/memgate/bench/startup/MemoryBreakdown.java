package dev.memgate.bench.startup;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a running service's resident memory is, at one moment, from the outside:
 * <ul>
 *   <li>the resident size and its anonymous and file-backed parts ({@code /proc/<pid>/status});</li>
 *   <li>the file-backed part by file ({@code /proc/<pid>/smaps}): the Lucene index, the jars, native libraries,
 *   the start-up cache;</li>
 *   <li>the JVM's own accounts, committed, by category ({@code jcmd <pid> VM.native_memory summary}, when the JVM
 *   runs with {@code -XX:NativeMemoryTracking=summary}): Java heap, class metadata, threads, code, GC, and the
 *   direct buffers and other allocations Java code makes ("Other");</li>
 *   <li>what neither accounts for: resident anonymous memory beyond the JVM's committed total, which is native code
 *   allocating for itself (ONNX Runtime's arena and model, the tokenizer, the C library's arenas); an estimate,
 *   since committed memory need not all be resident.</li>
 * </ul>
 * Linux only; elsewhere the figures read -1.
 */
record MemoryBreakdown(long residentKb, long anonymousKb, long fileKb, long peakKb, Map<String, Long> filesKb,
                       Map<String, Long> jvmCommittedKb, long heapUsedKb, long heapLiveKb) {

  /** A mapping's header line in smaps: {@code start-end perms offset dev inode [path]}. */
  private static final Pattern MAPPING = Pattern.compile("^[0-9a-f]+-[0-9a-f]+ [rwxps-]{4} ");
  private static final Pattern NMT_LINE = Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB");

  /** The JVM's committed total, when it tracks native memory; -1 otherwise. */
  long jvmTotalKb() {
    return jvmCommittedKb.isEmpty() ? -1 : jvmCommittedKb.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Anonymous resident memory the JVM does not account for (native libraries' own allocations), or -1. */
  long untrackedNativeKb() {
    return jvmCommittedKb.isEmpty() || anonymousKb < 0 ? -1 : anonymousKb - jvmTotalKb();
  }

  /**
   * Takes the snapshot. {@code health} is the service's {@code /health} answer (for the heap in use and live after
   * the last collection); {@code dataDir} tells the Lucene index's files from other mapped files.
   */
  static MemoryBreakdown of(long pid, JsonObject health, Path dataDir) {
    ProcStatus status = ProcStatus.of(pid);
    JsonObject process = health == null ? new JsonObject()
      : health.getJsonObject("components", new JsonObject()).getJsonObject("process", new JsonObject());
    return new MemoryBreakdown(status.kilobytes("VmRSS"), status.kilobytes("RssAnon"), status.kilobytes("RssFile"),
      status.kilobytes("VmHWM"), mappedFiles(pid, dataDir), nativeMemory(pid),
      process.getLong("heap_used_bytes", -1024L) / 1024, process.getLong("heap_live_after_gc_bytes", -1024L) / 1024);
  }

  /** Resident kilobytes of file-backed mappings, by kind of file. */
  static Map<String, Long> mappedFiles(long pid, Path dataDir) {
    Map<String, Long> kinds = new LinkedHashMap<>();
    Path smaps = Path.of("/proc", String.valueOf(pid), "smaps");
    if (!Files.isReadable(smaps)) {
      return kinds;
    }
    String data = dataDir.toAbsolutePath().toString();
    try {
      String kind = null;
      for (String line : Files.readAllLines(smaps, StandardCharsets.UTF_8)) {
        if (MAPPING.matcher(line).find()) {
          String[] fields = line.trim().split("\\s+", 6);
          kind = fields.length == 6 && fields[5].startsWith("/") ? kindOf(fields[5], data) : null;
        } else if (kind != null && line.startsWith("Rss:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          kinds.merge(kind, kb, Long::sum);
        }
      }
    } catch (IOException | RuntimeException gone) {
      // the process ended; what was read stands
    }
    return kinds;
  }

  private static String kindOf(String path, String dataDir) {
    if (path.startsWith(dataDir)) {
      return "Lucene index (data dir)";
    }
    if (path.endsWith(".jar")) {
      return "jars";
    }
    if (path.endsWith(".aot") || path.endsWith(".jsa")) {
      return "start-up cache / CDS";
    }
    if (path.contains("libjvm")) {
      return "libjvm";
    }
    if (path.contains("onnxruntime")) {
      return "ONNX Runtime library";
    }
    if (path.contains("tokenizers")) {
      return "tokenizer library";
    }
    if (path.endsWith("/modules") || path.contains("/lib/")) {
      return "JDK files";
    }
    return "other files";
  }

  /** NMT's committed kilobytes by category, or nothing when the JVM does not track native memory. */
  static Map<String, Long> nativeMemory(long pid) {
    Map<String, Long> categories = new LinkedHashMap<>();
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return categories;
    }
    try {
      Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "VM.native_memory", "summary",
        "scale=KB").redirectErrorStream(true).start();
      List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      process.waitFor(30, TimeUnit.SECONDS);
      for (String line : lines) {
        Matcher m = NMT_LINE.matcher(line.strip());
        if (m.find()) {
          categories.put(m.group(1).strip(), Long.parseLong(m.group(3)));
        }
      }
    } catch (IOException e) {
      // no jcmd: no breakdown
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return categories;
  }

  JsonObject toJson() {
    JsonObject files = new JsonObject();
    filesKb.forEach(files::put);
    JsonObject jvm = new JsonObject();
    jvmCommittedKb.forEach(jvm::put);
    return new JsonObject().put("resident_kb", residentKb).put("anonymous_kb", anonymousKb).put("file_kb", fileKb)
      .put("peak_kb", peakKb).put("mapped_files_kb", files).put("jvm_committed_kb", jvm)
      .put("jvm_committed_total_kb", jvmTotalKb()).put("untracked_native_kb", untrackedNativeKb())
      .put("heap_used_kb", heapUsedKb).put("heap_live_after_gc_kb", heapLiveKb);
  }
}
