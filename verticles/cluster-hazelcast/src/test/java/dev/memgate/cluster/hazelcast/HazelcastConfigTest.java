package dev.memgate.cluster.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import dev.memgate.cluster.ClusterSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Hazelcast configuration a clustered node runs with, built from the cluster.* settings: joined only through
 * the listed members, under the cluster's name, and silent towards Hazelcast's servers.
 */
class HazelcastConfigTest {

  @Test
  void aNodeJoinsOnlyThroughItsListedMembersUnderItsClusterName() {
    Config config = HazelcastProvider.config(new ClusterSpec("prod-eu", "10.0.0.5", 5801,
      List.of("10.0.0.5:5801", "10.0.0.6:5801")));

    assertThat(config.getClusterName()).isEqualTo("prod-eu");
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.5:5801", "10.0.0.6:5801");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
    assertThat(config.getProperty("hazelcast.local.localAddress")).isEqualTo("10.0.0.5");
    assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.logging.type")).isEqualTo("slf4j");
    // Vert.x's own structures, as its default cluster.xml declares them.
    assertThat(config.getMultiMapConfigs()).containsKey("__vertx.subs");
    assertThat(config.getMapConfigs()).containsKeys("__vertx.haInfo", "__vertx.nodeInfo");
  }
}
