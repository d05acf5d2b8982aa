package dev.memgate.gateway.graph;

import dev.memgate.gateway.testing.RunningService;
import dev.memgate.graph.spi.EmbeddedGraphServer;
import dev.memgate.graph.spi.EmbeddedGraphServers;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The embedded Neo4j of the {@code memgate-graph-embedded} module, started by the test itself (so that it can stop
 * and restart it under a running service, on the same port), and counted over Bolt with the driver.
 */
final class TestNeo4j implements AutoCloseable {
  private final Path directory;
  private final EmbeddedGraphServer server = EmbeddedGraphServers.load();
  private EmbeddedGraphServer.Connection connection;
  private int port;

  TestNeo4j() {
    try {
      directory = Files.createTempDirectory("memgate-neo4j-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    start();
  }

  void start() {
    try {
      connection = server.start(directory, "127.0.0.1", port, connection == null ? null : connection.password());
      port = Integer.parseInt(connection.boltUri().substring(connection.boltUri().lastIndexOf(':') + 1));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  void stop() {
    server.stop();
  }

  /** GRAPH_STORE=neo4j pointing at this server, as a user configures an external one. */
  Map<String, String> environment() {
    return Map.of("GRAPH_STORE", "neo4j", "NEO4J_URI", connection.boltUri(), "NEO4J_USERNAME",
      connection.username(), "NEO4J_PASSWORD", connection.password());
  }

  /** One number from a Cypher query, e.g. a count. */
  long count(String cypher, Map<String, Object> parameters) {
    try (Driver driver = GraphDatabase.driver(connection.boltUri(), AuthTokens.basic(connection.username(),
      connection.password())); Session session = driver.session()) {
      return session.run(cypher, parameters).single().get(0).asLong();
    }
  }

  /** Nodes and relations stored for a user, whatever their labels. */
  long nodesOf(String userId) {
    return count("MATCH (n) WHERE n.user_id = $u RETURN count(n)", Map.of("u", userId));
  }

  long relationsOf(String userId) {
    return count("MATCH ()-[r]->() WHERE r.user_id = $u RETURN count(r)", Map.of("u", userId));
  }

  @Override
  public void close() {
    server.stop();
    RunningService.deleteTree(directory);
  }
}
