package dev.memgate.gateway.config;

/**
 * The {@code cluster.*} settings, checked at load time like every other: a node that would fail to join, or join
 * the wrong cluster, stops with one line naming the key instead.
 */
final class ClusterChecks {
  private ClusterChecks() {
  }

  static void check(Settings settings) {
    if (!settings.flag("cluster.enabled")) {
      return;
    }
    if (!settings.text("cluster.name").matches("[A-Za-z0-9._-]{1,64}")) {
      throw new ConfigurationException(Settings.label("cluster.name") + " = \"" + settings.text("cluster.name")
        + "\": must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    if (settings.text("cluster.host").isEmpty()) {
      throw new ConfigurationException(Settings.label("cluster.host") + ": must not be empty (the address the "
        + "other nodes reach this one at, e.g. 127.0.0.1 or 10.0.0.5)");
    }
    // Clustered nodes serve any request from shared stores: a store in one node's files would split the memories.
    if (!settings.text("vector.store").equals("pgvector")) {
      throw new ConfigurationException("MEMGATE_CLUSTER_ENABLED (cluster.enabled) = true needs VECTOR_STORE "
        + "(vector.store) = pgvector, the store every node shares; " + settings.text("vector.store") + " keeps its "
        + "files on one node");
    }
    if (settings.text("graph.store").equals("embedded")) {
      throw new ConfigurationException("MEMGATE_CLUSTER_ENABLED (cluster.enabled) = true needs GRAPH_STORE "
        + "(graph.store) = neo4j (a server every node shares, NEO4J_URI) or none; the embedded graph (also what auto "
        + "picks when an LLM is configured) keeps its files on one node");
    }
    for (String member : settings.list("cluster.members")) {
      if (!member.matches("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+):\\d{1,5}")
        || Integer.parseInt(member.substring(member.lastIndexOf(':') + 1)) > 65_535) {
        throw new ConfigurationException(Settings.label("cluster.members") + ": \"" + member + "\" is not host:port "
          + "(e.g. 10.0.0.5:5701)");
      }
    }
  }

}
