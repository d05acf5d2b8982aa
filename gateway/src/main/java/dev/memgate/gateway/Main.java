package dev.memgate.gateway;

import dev.memgate.gateway.cli.KeysCommand;
import dev.memgate.gateway.cluster.ClusteredVertx;
import dev.memgate.gateway.config.ConfigurationException;
import dev.memgate.gateway.config.Settings;
import dev.memgate.mcp.transport.StdioChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar memgate.jar [--config FILE] [--stdio]}: starts the whole service on its embedded default.
 * Configuration mistakes end the process with one line on stderr and exit code 2; other start-up failures with exit
 * code 1.
 *
 * <p>With {@code --stdio} the same service speaks MCP on stdin/stdout, for desktop apps that start their servers
 * themselves (Claude Desktop). stdout then carries JSON-RPC lines and nothing else: it is taken over for the
 * protocol before anything can print, and {@code System.out} is pointed at stderr. No port opens unless
 * {@code mcp.stdio_http} says so. When stdin closes, the process exits.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("keys")) {
      // A client of a running Memgate's admin API: no service starts here.
      System.exit(new KeysCommand(System.getenv(), System.out, System.err)
        .run(Arrays.copyOfRange(args, 1, args.length)));
    }
    boolean stdio = List.of(args).contains("--stdio");
    OutputStream protocolOut = null;
    if (stdio) {
      // Before anything else runs: a stray println from any library would corrupt the protocol stream.
      protocolOut = new FileOutputStream(FileDescriptor.out);
      System.setOut(System.err);
    }
    Path configFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> {
          if (i + 1 >= args.length) {
            fail(2, "--config needs a file");
          }
          configFile = Path.of(args[++i]);
        }
        case "--stdio" -> {
          // handled above
        }
        case "--help", "-h" -> {
          System.out.println("usage: memgate [--config FILE] [--stdio] | memgate keys ... (keys --help)\n"
            + "  Starts Memgate. Defaults come from conf/memgate.yaml; FILE and environment variables override "
            + "them.\n  --stdio  speak MCP on stdin/stdout (for Claude Desktop and other apps that start their "
            + "MCP servers);\n           no port opens unless MEMGATE_STDIO_HTTP=true.\n"
            + "  Benchmarks: gateway/bin/memgate bench --help (a separate module, not in this jar)");
          return;
        }
        case "--version" -> {
          System.out.println("memgate " + Version.current());
          return;
        }
        default -> fail(2, "unknown argument " + args[i] + " (try --help)");
      }
    }
    if (configFile == null && System.getenv("MEMGATE_CONFIG") != null) {
      configFile = Path.of(System.getenv("MEMGATE_CONFIG"));
    }
    if (configFile != null && !Files.isReadable(configFile)) {
      fail(2, "configuration error: cannot read " + configFile);
    }
    Settings settings;
    try {
      settings = Settings.load(System.getenv(), configFile);
    } catch (ConfigurationException e) {
      fail(2, "configuration error: " + e.getMessage());
      return;
    }
    StdioChannel channel = null;
    if (stdio) {
      channel = StdioChannel.open(System.in, protocolOut, settings.integer("mcp.max_message_bytes"));
      channel.onClosed(() -> {
        LOG.info("stdin closed: stopping");
        System.exit(0);
      });
    }
    start(settings, channel);
  }

  private static void start(Settings settings, StdioChannel stdio) {
    Vertx vertx;
    try {
      vertx = vertx(settings);
    } catch (Exception e) {
      LOG.debug("joining the cluster failed", e);
      fail(1, "failed to join the cluster (MEMGATE_CLUSTER_*): " + rootMessage(e));
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("memgate: shutdown did not finish cleanly: " + e.getMessage());
      }
    }, "memgate-shutdown"));
    deploy(vertx, settings, stdio).onFailure(err -> {
      LOG.debug("start-up failed", err);
      String message = rootMessage(err);
      System.err.println("memgate: failed to start: " + message);
      if (stdio != null) {
        // The client is waiting for its initialize answer: tell it why there will be none.
        stdio.refuse("Memgate failed to start: " + message);
        stdio.flush();
      }
      vertx.close().onComplete(done -> Runtime.getRuntime().halt(1));
    });
  }

  /**
   * The Vert.x instance: clustered when {@code cluster.enabled} (this waits until the node has joined), else a plain
   * one that loads nothing of the cluster manager.
   */
  private static Vertx vertx(Settings settings) throws Exception {
    if (!settings.flag("cluster.enabled")) {
      return Vertx.vertx();
    }
    return ClusteredVertx.start(settings).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  private static String rootMessage(Throwable err) {
    Throwable root = err;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** Deploys the whole service on {@code vertx}: what a start is, here and in {@link StartupTraining}. */
  static Future<String> deploy(Vertx vertx, Settings settings, StdioChannel stdio) {
    return vertx.deployVerticle(new GatewayVerticle(settings, stdio));
  }

  private static void fail(int code, String message) {
    System.err.println("memgate: " + message);
    System.exit(code);
  }
}
