package dev.memgate.gateway.testing;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar memgate.jar --stdio} as a child process, spoken to by hand: lines to its stdin, every stdout line
 * kept in order, stderr captured to a file. Waits give up after two minutes, so a hung child fails the test.
 */
public final class StdioProcess implements AutoCloseable {
  private static final String EOF = "\u0000eof";

  private final Process process;
  private final Path stderr;
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();

  private StdioProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    Thread.ofVirtual().name("stdio-stdout").start(this::pump);
  }

  public static StdioProcess start(Path dataDir, Map<String, String> env) {
    try {
      Path stderr = Files.createTempFile("memgate-stdio-", ".stderr");
      ProcessBuilder builder = new ProcessBuilder(PackagedJar.stdioCommand())
        .redirectError(stderr.toFile());
      builder.environment().put("MEMGATE_DATA_DIR", dataDir.toString());
      builder.environment().putAll(env);
      return new StdioProcess(builder.start(), stderr);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void pump() {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
      StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        stdout.add(line);
      }
    } catch (IOException closed) {
      // the process ended
    }
    stdout.add(EOF);
  }

  public void send(String line) {
    try {
      OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new IllegalStateException("the process no longer reads stdin: " + e.getMessage() + "\n" + stderr(), e);
    }
  }

  /** Sends a request and returns the next stdout line as JSON. */
  public JsonObject call(JsonObject request) {
    send(request.encode());
    return new JsonObject(nextLine());
  }

  /** The next stdout line; null once stdout has ended. */
  public String nextLine() {
    try {
      String line = stdout.poll(2, TimeUnit.MINUTES);
      if (line == null) {
        throw new AssertionError("no output within two minutes; stderr:\n" + stderr());
      }
      return line.equals(EOF) ? null : line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public void closeStdin() {
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  /** The exit code, once the process has ended by itself. */
  public int exitCode() {
    try {
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        throw new AssertionError("the process did not exit; stderr:\n" + stderr());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String stderr() {
    try {
      return Files.readString(stderr);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      Files.deleteIfExists(stderr);
    } catch (IOException ignored) {
      // a temp file
    }
  }
}
