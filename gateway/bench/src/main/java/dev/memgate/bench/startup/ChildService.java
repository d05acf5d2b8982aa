package dev.memgate.bench.startup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The runtime as a separate operating-system process, launched the way a user launches it, over a given data
 * directory, on free loopback ports. The clock starts just before the process is created, so every figure counts
 * the JVM's own start. Its log (stderr, and stdout unless it speaks MCP there) goes to a file next to the data
 * directory, whose tail explains a launch that failed.
 */
final class ChildService implements AutoCloseable {
  private final Process process;
  private final long launchedNanos;
  private final int httpPort;
  private final int mcpPort;
  private final Path log;

  private ChildService(Process process, long launchedNanos, int httpPort, int mcpPort, Path log) {
    this.process = process;
    this.launchedNanos = launchedNanos;
    this.httpPort = httpPort;
    this.mcpPort = mcpPort;
    this.log = log;
  }

  /**
   * Launches the configuration. In stdio mode stdin and stdout are the MCP channel ({@link #stdin()},
   * {@link #stdout()}) and no port opens.
   */
  static ChildService launch(LaunchConfiguration configuration, Path dataDir, boolean stdio, Map<String, String> env) {
    try {
      int httpPort = freePort();
      int mcpPort = freePort();
      Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
      ProcessBuilder builder = new ProcessBuilder(configuration.command(stdio));
      Map<String, String> environment = builder.environment();
      // The built-in defaults, whatever the shell says: runs differ only by their configuration.
      environment.keySet().removeIf(name -> name.startsWith("MEMGATE_") || name.equals("VECTOR_STORE")
        || name.equals("EMBEDDER_PROVIDER") || name.equals("EMBEDDER_MODEL") || name.equals("LLM_PROVIDER")
        || name.equals("GRAPH_STORE") || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS"));
      environment.putAll(new HashMap<>(Map.of("MEMGATE_DATA_DIR", dataDir.toString(),
        "MEMGATE_HTTP_PORT", String.valueOf(httpPort), "MEMGATE_MCP_PORT", String.valueOf(mcpPort))));
      environment.putAll(env);
      builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
      if (!stdio) {
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of(isWindows() ? "NUL" : "/dev/null").toFile()));
      }
      long launched = System.nanoTime();
      Process process = builder.start();
      return new ChildService(process, launched, httpPort, mcpPort, log);
    } catch (IOException e) {
      throw new IllegalStateException("cannot launch " + configuration.describe() + ": " + e.getMessage(), e);
    }
  }

  /** Milliseconds since the launch. */
  double elapsedMs() {
    return (System.nanoTime() - launchedNanos) / 1e6;
  }

  int httpPort() {
    return httpPort;
  }

  int mcpPort() {
    return mcpPort;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  OutputStream stdin() {
    return process.getOutputStream();
  }

  InputStream stdout() {
    return process.getInputStream();
  }

  Path log() {
    return log;
  }

  /** Resident memory in bytes, or -1 where the operating system does not tell (Linux's /proc does). */
  long residentBytes() {
    return ProcStatus.of(process.pid()).kilobytes("VmRSS") * 1024;
  }

  /** The last lines of the process's log, to say why it failed. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Fails with the log's tail when the process has died. */
  void requireAlive(String waitingFor) {
    if (!process.isAlive()) {
      throw new IllegalStateException("the service exited (code " + process.exitValue() + ") before " + waitingFor
        + "; its log " + log + " ends:\n" + logTail());
    }
  }

  /** Stops it as a user does (SIGTERM: shutdown hook, store closed), and kills it if it has not gone in 30 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for the process to end by itself (stdio: after stdin closed); kills it after the timeout. */
  int awaitExit(long seconds) {
    try {
      if (process.waitFor(seconds, TimeUnit.SECONDS)) {
        return process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close();
    return -1;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
  }
}
