package dev.memgate.cluster.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import dev.memgate.cluster.ClusterManagerProvider;
import dev.memgate.cluster.ClusterSpec;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Vert.x's Hazelcast cluster manager, configured here, in code, from the cluster's description rather than from a
 * cluster.xml: TCP/IP join through the listed members only (no multicast, no cloud auto-detection), the cluster
 * name, no phone-home, Hazelcast's logging through SLF4J like Memgate's, and thread pools sized for a small node.
 */
public final class HazelcastProvider implements ClusterManagerProvider {

  @Override
  public ClusterManager create(ClusterSpec cluster) {
    // Read by Hazelcast before it reads its Config (its first warnings would otherwise go to java.util.logging).
    System.setProperty("hazelcast.logging.type", "slf4j");
    return new HazelcastClusterManager(config(cluster));
  }

  static Config config(ClusterSpec cluster) {
    Config config = new Config();
    config.setClusterName(cluster.name());
    config.setInstanceName("memgate-" + cluster.name() + "-" + cluster.port());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // Vert.x leaves the cluster when it closes (Main's shutdown hook); Hazelcast's own hook would race it.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.health.monitoring.level", "OFF");
    // The cluster holds little (event bus subscriptions, node information): a few threads do.
    config.setProperty("hazelcast.operation.thread.count", "2");
    config.setProperty("hazelcast.operation.generic.thread.count", "1");
    config.setProperty("hazelcast.io.thread.count", "1");
    config.setProperty("hazelcast.event.thread.count", "1");
    config.setProperty("hazelcast.client.engine.thread.count", "1");
    config.setProperty("hazelcast.client.engine.query.thread.count", "1");
    // Partitions of the cluster's maps: they hold only event bus subscriptions and node information, and fewer
    // partitions make a joining node's rebalancing quick (Hazelcast's default is 271). Every node must agree.
    config.setProperty("hazelcast.partition.count", "31");
    // A node that stops answering heartbeats leaves the membership after this long (Hazelcast's default is 60 s);
    // a node whose process ends is seen at once, when its connections close.
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "15");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    // Nodes started at the same moment may each find no other yet and form clusters of their own: they merge
    // once they see each other, after this delay rather than Hazelcast's default of 5 minutes.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
    // How long a starting node looks for the listed members before it forms a cluster by itself (Hazelcast waits
    // 5 s); one that comes up later joins it, and separate clusters merge (above).
    config.setProperty("hazelcast.wait.seconds.before.join", "2");
    // Bind cluster.host only, never every interface.
    config.setProperty("hazelcast.socket.bind.any", "false");

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    // The address this node binds and that the others reach it at (a name is resolved once, here).
    config.setProperty("hazelcast.local.localAddress", cluster.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    // A member that is not up refuses the connection at once; one that does not answer is given 2 s.
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(cluster.members());

    // What Vert.x's default cluster.xml adds for its own structures.
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
      .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.getMapConfig("__vertx.haInfo").setBackupCount(1);
    config.getMapConfig("__vertx.nodeInfo").setBackupCount(1);
    return config;
  }
}
