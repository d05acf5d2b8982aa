package dev.memgate.graph.spi;

import java.util.Iterator;
import java.util.ServiceLoader;

/** Finds the embedded graph server on the class path, or says in one line why there is none. */
public final class EmbeddedGraphServers {
  private EmbeddedGraphServers() {
  }

  /** A new server instance; fails with a one-line explanation when the module is not part of this distribution. */
  public static EmbeddedGraphServer load() {
    Iterator<EmbeddedGraphServer> found = ServiceLoader.load(EmbeddedGraphServer.class,
      EmbeddedGraphServers.class.getClassLoader()).iterator();
    if (!found.hasNext()) {
      throw new IllegalStateException("GRAPH_STORE=embedded needs the embedded Neo4j module "
        + "(memgate-graph-embedded, Neo4j Community under GPLv3), which this distribution leaves out: add its jar to "
        + "the class path, or set GRAPH_STORE=neo4j with NEO4J_URI, or GRAPH_STORE=none");
    }
    return found.next();
  }
}
