package dev.memgate.gateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Memgate process that speaks every transport at once: {@code Main --stdio} on this test's class path with
 * {@code MEMGATE_STDIO_HTTP=true}, so MCP runs on stdin/stdout and REST and MCP over HTTP listen on free ports too.
 * A test can then reach one service, over one set of stores, through REST, Streamable HTTP, WebSocket, legacy SSE
 * and stdio, and read its whole log (stderr). Unlike {@link StdioProcess} it needs no packaged jar, so it runs
 * under surefire.
 */
public final class StdioServiceProcess implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile(
    "Memgate is serving REST on http://[^:]+:(\\d+), MCP on http://[^:]+:(\\d+)/mcp");
  private static final String EOF = "\u0000eof";

  private final Process process;
  private final List<String> stderr = new ArrayList<>();
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private final CompletableFuture<int[]> ports = new CompletableFuture<>();
  private final Object stdinLock = new Object();

  private StdioServiceProcess(Process process) {
    this.process = process;
    Thread.ofPlatform().daemon().name("memgate-stdio-service-stderr").start(this::readStderr);
    Thread.ofPlatform().daemon().name("memgate-stdio-service-stdout").start(this::readStdout);
  }

  /** Starts the service with the given environment (added to a copy of this one) on free ports. */
  public static StdioServiceProcess start(Map<String, String> env) {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
      "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx1g",
      "-cp", System.getProperty("java.class.path"), "dev.memgate.gateway.Main", "--stdio"));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> all = new HashMap<>(Map.of("MEMGATE_STDIO_HTTP", "true", "MEMGATE_HTTP_PORT", "0",
      "MEMGATE_MCP_PORT", "0"));
    all.putAll(env);
    builder.environment().putAll(all);
    try {
      return new StdioServiceProcess(builder.start());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void readStderr() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(),
      StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        synchronized (stderr) {
          stderr.add(line);
        }
        Matcher serving = SERVING.matcher(line);
        if (serving.find()) {
          ports.complete(new int[] {Integer.parseInt(serving.group(1)), Integer.parseInt(serving.group(2))});
        }
      }
    } catch (IOException ignored) {
      // the process went away
    } finally {
      ports.completeExceptionally(new IllegalStateException("the service exited before serving:\n" + log()));
    }
  }

  private void readStdout() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
      StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        stdout.add(line);
      }
    } catch (IOException ignored) {
      // the process went away
    }
    stdout.add(EOF);
  }

  private int[] awaitPorts() {
    try {
      return ports.get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("the service did not start: " + e.getMessage() + "\n" + log(), e);
    }
  }

  public int restPort() {
    return awaitPorts()[0];
  }

  public int mcpPort() {
    return awaitPorts()[1];
  }

  public Api api() {
    return new Api(restPort());
  }

  /** Writes these bytes to stdin as they are (add the newline yourself). */
  public void write(byte[] bytes) {
    synchronized (stdinLock) {
      try {
        OutputStream in = process.getOutputStream();
        in.write(bytes);
        in.flush();
      } catch (IOException e) {
        throw new IllegalStateException("the process no longer reads stdin: " + e.getMessage(), e);
      }
    }
  }

  /** Writes one line to stdin. */
  public void send(String line) {
    write((line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The next stdout line, or null when none came within {@code wait}; throws once stdout has ended. */
  public String nextLine(Duration wait) {
    try {
      String line = stdout.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (EOF.equals(line)) {
        stdout.add(EOF);
        throw new IllegalStateException("stdout ended (the process exited?)");
      }
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** CPU time the process has used so far (zero where the platform does not say). */
  public java.time.Duration cpuTime() {
    return process.info().totalCpuDuration().orElse(java.time.Duration.ZERO);
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** The log so far, one entry per line. */
  public List<String> logLines() {
    synchronized (stderr) {
      return new ArrayList<>(stderr);
    }
  }

  public String log() {
    return String.join("\n", logLines());
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
