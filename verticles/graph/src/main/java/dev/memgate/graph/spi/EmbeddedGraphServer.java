package dev.memgate.graph.spi;

import java.nio.file.Path;

/**
 * An in-process graph server that speaks Bolt on loopback, so that the graph verticle talks to it with the very same
 * driver code as to a remote Neo4j. Implemented by the {@code memgate-graph-embedded} module (Neo4j Community,
 * GPLv3) and found through {@link java.util.ServiceLoader}: this module never depends on it, so a distribution can
 * leave it out. Every method blocks; callers run them off the event loop.
 */
public interface EmbeddedGraphServer {

  /** What runs, for logs and /health, e.g. "Neo4j Community 2026.08.1 (GPLv3)". */
  String description();

  /**
   * Starts the server with its files under {@code directory} and Bolt on {@code host:port} (0: a free port), its
   * user's password set to {@code password} (null: a fresh random one), and returns how to reach it. Blocks until
   * it accepts connections.
   */
  Connection start(Path directory, String host, int port, String password) throws Exception;

  /** Stops the server and releases its files; nothing happens when it is not running. */
  void stop();

  /** How to reach a started server: its Bolt URI and the credentials it was given (a fresh password per start). */
  record Connection(String boltUri, String username, String password) {
  }
}
