package dev.memgate.gateway.testing;

import dev.memgate.gateway.GatewayVerticle;
import dev.memgate.gateway.config.Settings;
import dev.memgate.gateway.http.HttpVerticle;
import dev.memgate.mcp.McpVerticle;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole service, deployed in this JVM exactly as {@code Main} deploys it (real verticles, real bus, real HTTP
 * on a free port), over a fresh data directory.
 */
public final class RunningService implements AutoCloseable {
  private final Vertx vertx;
  private final Path dataDir;
  private final boolean ownsDataDir;
  private final Api api;

  private RunningService(Vertx vertx, Path dataDir, boolean ownsDataDir) {
    this.vertx = vertx;
    this.dataDir = dataDir;
    this.ownsDataDir = ownsDataDir;
    this.api = new Api(HttpVerticle.actualPort(vertx));
  }

  public static RunningService start(StoreFixture store) {
    return start(store, Map.of());
  }

  public static RunningService start(StoreFixture store, Map<String, String> extraEnv) {
    try {
      Path dataDir = Files.createTempDirectory("memgate-test-");
      return start(store, dataDir, extraEnv, true);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts over an existing data directory (which the caller owns). */
  public static RunningService start(StoreFixture store, Path dataDir, Map<String, String> extraEnv,
                                     boolean ownsDataDir) {
    Map<String, String> env = new HashMap<>();
    env.put("MEMGATE_DATA_DIR", dataDir.toString());
    env.put("MEMGATE_HTTP_PORT", "0");
    env.put("MEMGATE_HTTP_INSTANCES", "1");
    // Only the graph tests start Neo4j (they say so in extraEnv); the others would pay its start-up for nothing.
    env.put("GRAPH_STORE", "none");
    env.put("MEMGATE_MCP_PORT", "0");
    env.putAll(store.environment(dataDir));
    env.putAll(extraEnv);
    Settings settings = Settings.load(env, null);
    Vertx vertx = Vertx.vertx();
    try {
      vertx.deployVerticle(new GatewayVerticle(settings)).await();
    } catch (RuntimeException e) {
      vertx.close().await();
      throw e;
    }
    return new RunningService(vertx, dataDir, ownsDataDir);
  }

  public Api api() {
    return api;
  }

  /** The MCP server's base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String mcpBase() {
    return "http://127.0.0.1:" + McpVerticle.actualPort(vertx);
  }

  public Vertx vertx() {
    return vertx;
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    vertx.close().await();
    if (ownsDataDir) {
      deleteTree(dataDir);
    }
  }

  public static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
