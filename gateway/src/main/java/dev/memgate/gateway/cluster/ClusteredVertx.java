package dev.memgate.gateway.cluster;

import dev.memgate.cluster.ClusterManagers;
import dev.memgate.cluster.ClusterSpec;
import dev.memgate.edge.HostPolicy;
import dev.memgate.gateway.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Vert.x instance on the clustered event bus ({@code cluster.enabled}), its cluster manager from the cluster add-on
 * ({@code addons/memgate-cluster-hazelcast.jar}, configured from the {@code cluster.*} settings). Reached only when
 * clustering is on, so an unclustered start loads nothing of the add-on, and a distribution may leave it out.
 */
public final class ClusteredVertx {
  private static final Logger LOG = LoggerFactory.getLogger(ClusteredVertx.class);

  private ClusteredVertx() {
  }

  /** The cluster the settings describe. */
  public static ClusterSpec spec(Settings settings) {
    return new ClusterSpec(settings.text("cluster.name"), settings.text("cluster.host"),
      settings.integer("cluster.port"), settings.list("cluster.members"));
  }

  /** Joins the cluster; the future fails when Hazelcast cannot bind its port or the event bus cannot start. */
  public static Future<Vertx> start(Settings settings) {
    String host = settings.text("cluster.host");
    if (!HostPolicy.isLoopback(host)) {
      LOG.warn("the cluster (port {}) and the event bus listen on {} without a credential: anyone who reaches them "
        + "can join or send to every node; keep MEMGATE_CLUSTER_HOST on a network only the nodes reach",
        settings.integer("cluster.port"), host);
    }
    EventBusOptions bus = new EventBusOptions().setHost(host).setPort(settings.integer("cluster.bus_port"));
    return Vertx.builder()
      .with(new VertxOptions().setEventBusOptions(bus))
      .withClusterManager(ClusterManagers.create(spec(settings)))
      .buildClustered();
  }
}
