package dev.memgate.cluster;

import io.vertx.core.spi.cluster.ClusterManager;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The cluster manager add-on, when it is installed ({@code addons/memgate-cluster-hazelcast.jar} beside the runtime
 * jar). Looked up only when clustering is on, so a single-node start loads nothing of it.
 */
public final class ClusterManagers {
  /** What a clustered configuration without the add-on is told. */
  public static final String MISSING = "clustering needs the add-on addons/memgate-cluster-hazelcast.jar beside "
    + "memgate.jar (gateway/bin/memgate build makes it)";

  private ClusterManagers() {
  }

  public static boolean installed() {
    return provider().isPresent();
  }

  /** @throws IllegalStateException saying {@link #MISSING} when the add-on is absent */
  public static ClusterManager create(ClusterSpec cluster) {
    return provider().orElseThrow(() -> new IllegalStateException(MISSING)).create(cluster);
  }

  private static Optional<ClusterManagerProvider> provider() {
    return ServiceLoader.load(ClusterManagerProvider.class, ClusterManagers.class.getClassLoader()).findFirst();
  }
}
