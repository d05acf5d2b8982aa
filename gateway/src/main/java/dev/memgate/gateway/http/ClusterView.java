package dev.memgate.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;

import java.util.List;

/**
 * This node's place in the cluster, as /health shows it and /health/ready judges it. Reads Vert.x's cluster manager
 * interface only (never Hazelcast's), so it costs an unclustered node nothing.
 */
final class ClusterView {
  private ClusterView() {
  }

  /** {@code enabled, name, node_id, joined, members}, or null when this node is not clustered. */
  static JsonObject of(Vertx vertx, String clusterName) {
    if (!vertx.isClustered()) {
      return null;
    }
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    String self = manager.getNodeId();
    List<String> members = manager.isActive() ? manager.getNodes().stream().sorted().toList() : List.of();
    return new JsonObject()
      .put("enabled", true)
      .put("name", clusterName)
      .put("node_id", self)
      .put("joined", members.contains(self))
      .put("members", new JsonArray(members));
  }

  /** Whether this node may take requests as far as the cluster goes: unclustered, or a member now. */
  static boolean joined(Vertx vertx) {
    if (!vertx.isClustered()) {
      return true;
    }
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    return manager.isActive() && manager.getNodes().contains(manager.getNodeId());
  }
}
