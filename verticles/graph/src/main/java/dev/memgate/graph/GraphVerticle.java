package dev.memgate.graph;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.BusServer;
import dev.memgate.contract.GraphBus;
import dev.memgate.contract.UpstreamText;
import dev.memgate.graph.outbox.GraphWriter;
import dev.memgate.graph.outbox.Outbox;
import dev.memgate.graph.spi.EmbeddedGraphServer;
import dev.memgate.graph.spi.EmbeddedGraphServers;
import dev.memgate.graph.store.GraphStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Serves {@link GraphBus} over one Neo4j driver: a remote Neo4j 5 / 2025+ ({@code store: neo4j}, {@code uri},
 * {@code username}, {@code password}, {@code database}) or the in-process server of the optional
 * {@code memgate-graph-embedded} module ({@code store: embedded}, files under {@code <data_dir>/neo4j}, Bolt on
 * 127.0.0.1:{@code embedded_port}), which this verticle finds through ServiceLoader and starts first. Both are
 * reached with the same driver code.
 *
 * <p>The verticle starts even when the store is unreachable: graph writes then wait in the outbox under
 * {@code <data_dir>/graph-outbox} and are applied, in order, once it is back; /health shows the backlog.
 */
public final class GraphVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GraphVerticle.class);

  private GraphConfig config;
  private EmbeddedGraphServer embedded;
  private String embeddedDescription;
  private Driver driver;
  private GraphStore store;
  private GraphWriter writer;
  private String uri;

  @Override
  public Future<?> start() {
    config = GraphConfig.from(config());
    UpstreamText.hide(config.password());
    Path dataDir = Path.of(config.dataDir());
    return connection(dataDir).compose(connection -> {
      UpstreamText.hide(connection.password());
      uri = connection.boltUri();
      driver = GraphDatabase.driver(connection.boltUri(), auth(connection), driverConfig());
      return vertx.executeBlocking(() -> nodeId(dataDir));
    }).compose(node -> {
      store = new GraphStore(driver, config.database(), context, config.embedded() ? uri : config.publicUri(), node);
      GraphService service = new GraphService(new BusClient(vertx), config, store);
      writer = new GraphWriter(vertx, new Outbox(vertx, dataDir.resolve("graph-outbox")), service::apply,
        config.retryMinMs(), config.retryMaxMs());
      service.writer(writer);
      return store.ensureSchema()
        .onSuccess(v -> LOG.info("graph store {} at {}", config.store(), shownUri()))
        .recover(err -> {
          LOG.warn("graph store {} at {} is not reachable yet ({}); graph writes wait in the outbox",
            config.store(), shownUri(), UpstreamText.summary(err.getMessage()));
          return Future.succeededFuture();
        })
        .compose(v -> writer.start())
        .compose(v -> Future.all(List.of(
          BusServer.serve(vertx, GraphBus.PREPARE, service::prepare).completion(),
          BusServer.serve(vertx, GraphBus.COMMIT, service::commit).completion(),
          BusServer.serve(vertx, GraphBus.SEARCH, service::search).completion(),
          BusServer.serve(vertx, GraphBus.FORGET_MEMORY, service::forgetMemory).completion(),
          BusServer.serve(vertx, GraphBus.DELETE_SCOPE, service::deleteScope).completion(),
          BusServer.serve(vertx, GraphBus.RESET, service::reset).completion(),
          BusServer.serve(vertx, GraphBus.EXPORT, service::export).completion(),
          BusServer.serve(vertx, GraphBus.HEALTH, body -> health()).completion())));
    });
  }

  private Future<EmbeddedGraphServer.Connection> connection(Path dataDir) {
    if (!config.embedded()) {
      return Future.succeededFuture(new EmbeddedGraphServer.Connection(config.uri(), config.username(),
        config.password()));
    }
    EmbeddedGraphServer server;
    try {
      server = EmbeddedGraphServers.load();
    } catch (IllegalStateException e) {
      return Future.failedFuture(e);
    }
    embedded = server;
    embeddedDescription = server.description();
    return vertx.executeBlocking(() -> server.start(dataDir.resolve("neo4j"), "127.0.0.1", config.embeddedPort(),
      null));
  }

  private static AuthToken auth(EmbeddedGraphServer.Connection connection) {
    return connection.username() == null || connection.username().isBlank() ? AuthTokens.none()
      : AuthTokens.basic(connection.username(), connection.password() == null ? "" : connection.password());
  }

  /** Short timeouts: a store that is away must be noticed in seconds, so that adds answer "pending" quickly. */
  private static Config driverConfig() {
    return Config.builder()
      .withConnectionTimeout(2, TimeUnit.SECONDS)
      .withConnectionAcquisitionTimeout(4, TimeUnit.SECONDS)
      .withMaxTransactionRetryTime(1, TimeUnit.SECONDS)
      .withMaxConnectionPoolSize(16)
      .withLogging(Logging.slf4j())
      .build();
  }

  /** Names this node in outbox markers; kept under the data directory so that it survives restarts. */
  private static String nodeId(Path dataDir) throws java.io.IOException {
    Path file = dataDir.resolve("graph-node-id");
    if (Files.exists(file)) {
      return Files.readString(file).strip();
    }
    Files.createDirectories(dataDir);
    String id = UUID.randomUUID().toString();
    Files.writeString(file, id);
    return id;
  }

  private String shownUri() {
    return config.embedded() ? uri : config.publicUri();
  }

  private Future<JsonObject> health() {
    JsonObject health = new JsonObject()
      .put("store", config.store())
      .put("uri", shownUri())
      .put("outbox", writer.health());
    if (!config.database().isBlank()) {
      health.put("database", config.database());
    }
    if (embeddedDescription != null) {
      health.put("server", embeddedDescription);
    }
    return store.counts().timeout(2, TimeUnit.SECONDS)
      .map(counts -> {
        if (writer.away()) {
          writer.retryNow();
        }
        return health.put("status", "UP").put("reachable", true).mergeIn(counts);
      })
      .otherwise(err -> health.put("status", "DOWN").put("reachable", false)
        .put("reason", UpstreamText.summary(err.getMessage())));
  }

  @Override
  public Future<?> stop() {
    if (writer != null) {
      writer.stop();
    }
    Future<Void> closed = driver == null ? Future.succeededFuture()
      : Future.fromCompletionStage(driver.closeAsync(), context).otherwiseEmpty();
    return closed.compose(v -> embedded == null ? Future.succeededFuture()
      : vertx.executeBlocking(() -> {
        embedded.stop();
        return null;
      }));
  }
}
