package dev.memgate.gateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memgate as a separate operating-system process ({@code dev.memgate.gateway.Main} on this test's class path), for
 * what only a real process can show: surviving SIGKILL, exit codes, stdout and stderr.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile("Memgate is serving (?:REST on )?https?://[^:]+:(\\d+)");

  private final Process process;
  private final List<String> stderr = new ArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();

  private ServiceProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(),
        StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          synchronized (stderr) {
            stderr.add(line);
          }
          Matcher serving = SERVING.matcher(line);
          if (serving.find()) {
            port.complete(Integer.parseInt(serving.group(1)));
          }
        }
      } catch (IOException ignored) {
        // the process went away
      } finally {
        port.completeExceptionally(new IllegalStateException("the service exited before serving:\n" + stderr()));
      }
    }, "memgate-process-stderr");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code Main} with the given arguments and environment (added to a copy of this one). The MCP server
   * gets a free port unless the environment names one, so that processes never compete for 8765.
   */
  public static ServiceProcess start(Map<String, String> env, String... args) {
    return startWithClassPath(System.getProperty("java.class.path"), env, args);
  }

  /** As {@link #start}, on another class path (e.g. a distribution that leaves a module out). */
  public static ServiceProcess startWithClassPath(String classPath, Map<String, String> env, String... args) {
    return launch(List.of("-cp", classPath, "dev.memgate.gateway.Main"), env, args);
  }

  /**
   * As {@link #start}, from a runnable jar as users start it ({@code java -jar memgate.jar}): the add-ons in the
   * {@code addons/} folder beside that jar are all it has besides the jar itself.
   */
  public static ServiceProcess startJar(Path jar, Map<String, String> env, String... args) {
    return launch(List.of("-jar", jar.toString()), env, args);
  }

  private static ServiceProcess launch(List<String> what, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--add-modules");
    command.add("jdk.incubator.vector");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Xmx1g");
    command.addAll(what);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("MEMGATE_MCP_PORT", "0");
    builder.environment().putAll(env);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    try {
      return new ServiceProcess(builder.start());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts the service over {@code dataDir} on a free port and waits until it serves. */
  public static ServiceProcess serve(Path dataDir) {
    ServiceProcess service = start(Map.of("MEMGATE_DATA_DIR", dataDir.toString(), "MEMGATE_HTTP_PORT", "0"));
    service.awaitServing();
    return service;
  }

  public int awaitServing() {
    try {
      return port.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("the service did not start: " + e.getMessage() + "\n" + stderr(), e);
    }
  }

  public Api api() {
    return new Api(awaitServing());
  }

  /** SIGKILL: no shutdown hook, no flush, no goodbye. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public int waitForExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new IllegalStateException("still running after " + seconds + " s");
    }
    return process.exitValue();
  }

  public String stderr() {
    synchronized (stderr) {
      return String.join("\n", stderr);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
