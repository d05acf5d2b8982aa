package dev.memgate.graph.embedded;

import dev.memgate.graph.spi.EmbeddedGraphServer;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Neo4j Community in this process, with its Bolt connector on loopback and its files under the given directory.
 * Authentication stays on: every start sets the password for the {@code neo4j} user (by default a fresh random one,
 * handed to the driver only), so another local process cannot read the memories through the Bolt port.
 */
public final class EmbeddedNeo4j implements EmbeddedGraphServer {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedNeo4j.class);
  private static final String USER = "neo4j";

  private DatabaseManagementService service;

  @Override
  public String description() {
    return "Neo4j Community (GPLv3), in process";
  }

  @Override
  public synchronized Connection start(Path directory, String host, int port, String givenPassword)
    throws Exception {
    if (service != null) {
      throw new IllegalStateException("the embedded Neo4j is already running");
    }
    int boltPort = port > 0 ? port : freePort(host);
    long started = System.nanoTime();
    service = new DatabaseManagementServiceBuilder(directory)
      .setConfig(BoltConnector.enabled, true)
      .setConfig(BoltConnector.listen_address, new SocketAddress(host, boltPort))
      .setConfig(BoltConnector.advertised_address, new SocketAddress(host, boltPort))
      .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
      .setConfig(GraphDatabaseSettings.auth_enabled, true)
      // A memory service's graph is small: keep Neo4j's page cache and transaction logs modest.
      .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(64))
      .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
      .build();
    String password = givenPassword != null ? givenPassword : newPassword();
    try {
      GraphDatabaseService system = service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
      system.executeTransactionally("ALTER USER " + USER + " SET PASSWORD $password CHANGE NOT REQUIRED",
        Map.of("password", password));
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).contains("cannot be the same")) {
        // Restarted with the password it already has.
        return connected(directory, host, boltPort, started, password);
      }
      stop();
      throw e;
    }
    return connected(directory, host, boltPort, started, password);
  }

  private static Connection connected(Path directory, String host, int boltPort, long started, String password) {
    LOG.info("embedded Neo4j ready in {} ms, Bolt on {}:{}, files under {}",
      (System.nanoTime() - started) / 1_000_000, host, boltPort, directory);
    return new Connection("bolt://" + host + ":" + boltPort, USER, password);
  }

  @Override
  public synchronized void stop() {
    if (service != null) {
      DatabaseManagementService running = service;
      service = null;
      running.shutdown();
      LOG.info("embedded Neo4j stopped");
    }
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static String newPassword() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
