package dev.memgate.gateway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops and starts the machine's PostgreSQL cluster that serves port 5432, with Debian's pg_ctlcluster, for tests of
 * what happens when the database goes away. Other work shares this server: whoever stops it must start it again in
 * a {@code finally}; {@link #stop} also registers a shutdown hook that starts it should the JVM end first.
 */
public final class LocalPostgres {
  private final String version;
  private final String cluster;
  private volatile boolean stopped;
  private Thread restartOnExit;

  private LocalPostgres(String version, String cluster) {
    this.version = version;
    this.cluster = cluster;
  }

  /** The cluster listening on {@link PgvectorStore#PORT}, as pg_lsclusters lists it. */
  public static LocalPostgres onTestPort() {
    String listing = run(List.of("pg_lsclusters", "--no-header"));
    for (String line : listing.split("\n")) {
      String[] columns = line.trim().split("\\s+");
      if (columns.length >= 3 && columns[2].equals(String.valueOf(PgvectorStore.PORT))) {
        return new LocalPostgres(columns[0], columns[1]);
      }
    }
    throw new IllegalStateException("no PostgreSQL cluster on port " + PgvectorStore.PORT + " in pg_lsclusters:\n"
      + listing);
  }

  public synchronized void stop() {
    restartOnExit = new Thread(this::start, "restart-postgresql");
    Runtime.getRuntime().addShutdownHook(restartOnExit);
    stopped = true;
    run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "stop"));
  }

  /** Starts the cluster and waits until it accepts connections; does nothing unless this object stopped it. */
  public synchronized void start() {
    if (!stopped) {
      return;
    }
    run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "start"));
    stopped = false;
    if (restartOnExit != null && Thread.currentThread() != restartOnExit) {
      Runtime.getRuntime().removeShutdownHook(restartOnExit);
    }
  }

  private static String run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in 120 s");
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): "
          + output);
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0) + " (Debian's postgresql-common): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
