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
                       Map<String, Long> jvmCommittedKb, long heapUsedKb, long heapLiveKb, long heapResidentKb) {

  /** A mapping's header line in smaps: {@code start-end perms offset dev inode [path]}. */
  private static final Pattern MAPPING = Pattern.compile("^[0-9a-f]+-[0-9a-f]+ [rwxps-]{4} ");
  private static final Pattern ADDRESS = Pattern.compile("0x([0-9a-f]{8,16})");
  private static final Pattern NMT_LINE = Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB");

  /** The JVM's committed total, when it tracks native memory; -1 otherwise. */
  long jvmTotalKb() {
    return jvmCommittedKb.isEmpty() ? -1 : jvmCommittedKb.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Anonymous resident memory the JVM does not account for (native libraries' own allocations), or -1: what is left
   * of the anonymous part after the heap's resident pages and the JVM's other committed memory (the start-up cache
   * is a mapped file, not anonymous memory).
   */
  long untrackedNativeKb() {
    if (jvmCommittedKb.isEmpty() || anonymousKb < 0 || heapResidentKb < 0) {
      return -1;
    }
    long otherJvm = jvmTotalKb() - jvmCommittedKb.getOrDefault("Java Heap", 0L)
      - jvmCommittedKb.getOrDefault("Shared class space", 0L);
    return anonymousKb - heapResidentKb - otherJvm;
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
      process.getLong("heap_used_bytes", -1024L) / 1024, process.getLong("heap_live_after_gc_bytes", -1024L) / 1024,
      heapResident(pid));
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

  /**
   * Resident kilobytes of the Java heap: the anonymous mappings inside the address range {@code GC.heap_info}
   * prints; -1 when it cannot be told.
   */
  static long heapResident(long pid) {
    List<String> info = jcmd(pid, "GC.heap_info");
    long low = Long.MAX_VALUE;
    long high = 0;
    for (String line : info) {
      Matcher address = ADDRESS.matcher(line);
      while (address.find()) {
        long value = Long.parseUnsignedLong(address.group(1), 16);
        low = Math.min(low, value);
        high = Math.max(high, value);
      }
    }
    Path smaps = Path.of("/proc", String.valueOf(pid), "smaps");
    if (high == 0 || !Files.isReadable(smaps)) {
      return -1;
    }
    long resident = 0;
    boolean inHeap = false;
    try {
      for (String line : Files.readAllLines(smaps, StandardCharsets.UTF_8)) {
        if (MAPPING.matcher(line).find()) {
          String[] range = line.substring(0, line.indexOf(' ')).split("-");
          long start = Long.parseUnsignedLong(range[0], 16);
          long end = Long.parseUnsignedLong(range[1], 16);
          inHeap = start < high && end > low;
        } else if (inHeap && line.startsWith("Rss:")) {
          resident += Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException gone) {
      return -1;
    }
    return resident;
  }

  private static List<String> jcmd(long pid, String... command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return List.of();
    }
    try {
      List<String> line = new java.util.ArrayList<>(List.of(jcmd.toString(), String.valueOf(pid)));
      line.addAll(List.of(command));
      Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
      List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
        .toList();
      process.waitFor(30, TimeUnit.SECONDS);
      return lines;
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  /** NMT's committed kilobytes by category, or nothing when the JVM does not track native memory. */
  static Map<String, Long> nativeMemory(long pid) {
    Map<String, Long> categories = new LinkedHashMap<>();
    for (String line : jcmd(pid, "VM.native_memory", "summary", "scale=KB")) {
      Matcher m = NMT_LINE.matcher(line.strip());
      if (m.find()) {
        categories.put(m.group(1).strip(), Long.parseLong(m.group(3)));
      }
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
      .put("heap_used_kb", heapUsedKb).put("heap_live_after_gc_kb", heapLiveKb)
      .put("heap_resident_kb", heapResidentKb);
  }
}
