package dev.memgate.gateway.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy ({@code haproxy -f cfg -db}, installed by gateway/bin/setup-haproxy) running the shipped
 * docker/haproxy.cfg, rendered with a test's ports: the frontend binds 127.0.0.1:{@code port} and the backend lists
 * the test's nodes. Everything else (checks, balancing, timeouts, retries) is the shipped file's.
 */
final class LoadBalancerProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private LoadBalancerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static LoadBalancerProcess start(Path workDir, int port, List<Integer> nodePorts) throws IOException {
    Path config = workDir.resolve("haproxy.cfg");
    Files.writeString(config, render(Files.readString(shippedConfig()), port, nodePorts));
    Path log = workDir.resolve("haproxy.log");
    Process process = new ProcessBuilder("haproxy", "-f", config.toString(), "-db")
      .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new LoadBalancerProcess(process, log);
  }

  /** The shipped file with the test's frontend port and nodes; fails if the file no longer has what it replaces. */
  static String render(String shipped, int port, List<Integer> nodePorts) {
    List<String> out = new ArrayList<>();
    boolean bound = false;
    boolean serversWritten = false;
    for (String line : shipped.lines().toList()) {
      String trimmed = line.strip();
      if (trimmed.startsWith("bind ")) {
        out.add("  bind 127.0.0.1:" + port);
        bound = true;
      } else if (trimmed.startsWith("server ")) {
        if (!serversWritten) {
          for (int i = 0; i < nodePorts.size(); i++) {
            out.add("  server node" + (i + 1) + " 127.0.0.1:" + nodePorts.get(i) + " check");
          }
          serversWritten = true;
        }
      } else {
        out.add(line);
      }
    }
    if (!bound || !serversWritten) {
      throw new IllegalStateException("docker/haproxy.cfg has no bind or no server lines to render");
    }
    return String.join("\n", out) + "\n";
  }

  /** docker/haproxy.cfg of this checkout, found from the module's directory up. */
  static Path shippedConfig() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("docker").resolve("haproxy.cfg");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("docker/haproxy.cfg not found above " + Path.of("").toAbsolutePath());
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
