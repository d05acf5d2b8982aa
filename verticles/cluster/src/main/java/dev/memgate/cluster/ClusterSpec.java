package dev.memgate.cluster;

import java.util.List;

/**
 * The cluster a node joins, from the {@code cluster.*} settings.
 *
 * @param name    the cluster's name: two clusters on one network never merge
 * @param host    the address this node binds and the others reach it at
 * @param port    the cluster manager's port on that address
 * @param members the nodes to join through, as host:port (TCP/IP; no multicast)
 */
public record ClusterSpec(String name, String host, int port, List<String> members) {
  public ClusterSpec {
    members = List.copyOf(members);
  }
}
