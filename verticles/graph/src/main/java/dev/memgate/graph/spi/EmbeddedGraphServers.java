package dev.memgate.graph.spi;

import java.util.Iterator;
import java.util.ServiceLoader;

/** Finds the embedded graph server on the class path, or says in one line why there is none. */
public final class EmbeddedGraphServers {
  /** What to do when the add-on is absent, as one line. */
  public static final String MISSING = "needs the embedded Neo4j add-on (memgate-graph-embedded, Neo4j Community "
    + "under GPLv3), which this installation lacks: put memgate-graph-embedded.jar in the addons/ folder beside "
    + "memgate.jar (gateway/bin/memgate build makes it in gateway/target/addons/), or set GRAPH_STORE=neo4j with "
    + "NEO4J_URI, or GRAPH_STORE=none";

  private EmbeddedGraphServers() {
  }

  /** Whether the add-on is on the class path (without starting or even instantiating it). */
  public static boolean installed() {
    return loader().stream().findAny().isPresent();
  }

  /** A new server instance; fails with a one-line explanation when the add-on is not installed. */
  public static EmbeddedGraphServer load() {
    Iterator<EmbeddedGraphServer> found = loader().iterator();
    if (!found.hasNext()) {
      throw new IllegalStateException("GRAPH_STORE=embedded " + MISSING);
    }
    return found.next();
  }

  private static ServiceLoader<EmbeddedGraphServer> loader() {
    return ServiceLoader.load(EmbeddedGraphServer.class, EmbeddedGraphServers.class.getClassLoader());
  }
}
