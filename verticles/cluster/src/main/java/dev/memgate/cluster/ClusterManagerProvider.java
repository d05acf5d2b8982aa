package dev.memgate.cluster;

import io.vertx.core.spi.cluster.ClusterManager;

/** Implemented by the cluster add-on and found through {@link java.util.ServiceLoader}: see {@link ClusterManagers}. */
public interface ClusterManagerProvider {

  /** A cluster manager configured for this cluster, not started yet (Vert.x starts it when it builds the node). */
  ClusterManager create(ClusterSpec cluster);
}
