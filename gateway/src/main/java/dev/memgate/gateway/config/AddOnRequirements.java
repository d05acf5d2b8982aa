package dev.memgate.gateway.config;

import dev.memgate.cluster.ClusterManagers;
import dev.memgate.embedding.onnx.OnnxModels;
import dev.memgate.graph.spi.EmbeddedGraphServers;

/**
 * What a configuration needs from the add-ons (jars beside the runtime jar, in {@code addons/}): checked with the
 * rest of the configuration, so that a missing add-on stops start-up with one line naming the jar, before anything
 * has started, instead of failing later inside a verticle.
 */
final class AddOnRequirements {
  private AddOnRequirements() {
  }

  /** Whether {@code graph.store: auto} can mean the embedded Neo4j: only when its add-on is installed. */
  static boolean embeddedGraphInstalled() {
    return EmbeddedGraphServers.installed();
  }

  static void check(Settings settings) {
    if (settings.flag("cluster.enabled") && !ClusterManagers.installed()) {
      throw new ConfigurationException("MEMGATE_CLUSTER_ENABLED (cluster.enabled) = true: " + ClusterManagers.MISSING);
    }
    if (settings.text("graph.store").equals("embedded") && !EmbeddedGraphServers.installed()) {
      throw new ConfigurationException("GRAPH_STORE (graph.store) = embedded: " + EmbeddedGraphServers.MISSING);
    }
    if (settings.text("embedder.provider").equals("onnx") && !settings.text("embedder.model").isEmpty()) {
      try {
        OnnxModels.installed().require(settings.text("embedder.model"));
      } catch (IllegalArgumentException missing) {
        throw new ConfigurationException("EMBEDDER_MODEL " + missing.getMessage().replaceFirst("^embedder\\.model",
          "(embedder.model)"));
      }
    }
  }
}
