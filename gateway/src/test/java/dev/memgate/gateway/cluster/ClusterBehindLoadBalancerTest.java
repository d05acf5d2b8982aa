package dev.memgate.gateway.cluster;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.Eventually;
import dev.memgate.gateway.testing.PgvectorStore;
import dev.memgate.gateway.testing.Reply;
import dev.memgate.gateway.testing.ServiceProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memgate as a cluster, for real: three gateway node processes on loopback, each with its own ports, clustered over
 * Hazelcast (TCP/IP members, a cluster name of this run's own) and sharing one PostgreSQL database, with a real
 * HAProxy in front running the shipped docker/haproxy.cfg. Every node joins, the load balancer sends requests to
 * every node, what one node writes another reads, and a node killed with SIGKILL leaves the rotation while the
 * others go on serving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterBehindLoadBalancerTest {
  /** Three, as production runs: a node can die and the load balancer still has two to alternate between. */
  private static final int NODES = 3;
  /** The operator's key of every node: the nodes share their keys through PostgreSQL. */
  private static final String OPERATOR_KEY = "cluster-operator-key-0123456789";

  @TempDir
  static Path work;

  private final String clusterName = "memgate-test-" + UUID.randomUUID().toString().substring(0, 8);
  private PgvectorStore store;
  private final List<ServiceProcess> nodes = new ArrayList<>();
  private final List<Api> direct = new ArrayList<>();
  private final List<String> nodeIds = new ArrayList<>();
  private LoadBalancerProcess balancer;
  private Api balanced;

  @BeforeAll
  void startTheCluster() throws Exception {
    setUpHaproxy();
    long startedAt = System.nanoTime();
    store = new PgvectorStore();
    List<Integer> clusterPorts = freePorts(NODES);
    String members = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    for (int i = 0; i < NODES; i++) {
      Path dataDir = Files.createDirectories(work.resolve("node" + (i + 1)));
      Map<String, String> env = new HashMap<>(store.environment(dataDir));
      env.putAll(Map.of("MEMGATE_DATA_DIR", dataDir.toString(), "MEMGATE_HTTP_PORT", "0", "GRAPH_STORE", "none",
        "MEMGATE_MCP_ENABLED", "false",
        "MEMGATE_CLUSTER_ENABLED", "true", "MEMGATE_CLUSTER_NAME", clusterName,
        "MEMGATE_CLUSTER_PORT", String.valueOf(clusterPorts.get(i)), "MEMGATE_CLUSTER_MEMBERS", members));
      env.put("MEMGATE_API_KEY", OPERATOR_KEY);
      nodes.add(ServiceProcess.start(env));
    }
    List<Integer> httpPorts = new ArrayList<>();
    for (ServiceProcess node : nodes) {
      httpPorts.add(node.awaitServing());
      direct.add(new Api(httpPorts.getLast()).http11().withKey(OPERATOR_KEY));
    }
    System.out.printf("cluster: %d nodes serving after %d ms%n", NODES,
      TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
    for (Api api : direct) {
      nodeIds.add(cluster(api.get("/health")).getString("node_id"));
    }
    // Nodes that started at the same moment may have formed clusters of their own first: they merge.
    Eventually.await(Duration.ofSeconds(60), () -> direct.stream().allMatch(api ->
      Set.copyOf(cluster(api.get("/health")).getJsonArray("members").getList()).equals(Set.copyOf(nodeIds))),
      () -> "members seen by each node: " + direct.stream().map(api -> cluster(api.get("/health"))
        .getJsonArray("members").encode()).toList() + ", node ids " + nodeIds);
    System.out.printf("cluster: every node lists every member after %d ms%n",
      TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
    int balancerPort = freePorts(1).getFirst();
    balancer = LoadBalancerProcess.start(work, balancerPort, httpPorts);
    balanced = new Api(balancerPort).http11().withKey(OPERATOR_KEY);
    Eventually.await(Duration.ofSeconds(20), () -> answers(balanced),
      () -> "HAProxy does not answer on " + balancerPort + ": " + balancer.log());
  }

  @AfterAll
  void stopTheCluster() throws Exception {
    if (balancer != null) {
      balancer.close();
    }
    for (ServiceProcess node : nodes) {
      node.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  @Order(1)
  void everyNodeJoinsAndListsEveryMember() {
    assertThat(Set.copyOf(nodeIds)).hasSize(NODES);
    for (Api api : direct) {
      Reply health = api.get("/health");
      assertThat(health.status()).as(health.toString()).isEqualTo(200);
      JsonObject cluster = cluster(health);
      assertThat(cluster.getBoolean("enabled")).isTrue();
      assertThat(cluster.getBoolean("joined")).isTrue();
      assertThat(cluster.getString("name")).isEqualTo(clusterName);
      assertThat(cluster.getJsonArray("members").getList()).containsExactlyInAnyOrderElementsOf(nodeIds);
      assertThat(api.get("/health/ready").status()).isEqualTo(200);
      assertThat(api.get("/health/live").status()).isEqualTo(200);
    }
  }

  @Test
  @Order(2)
  void theLoadBalancerSendsRequestsToEveryNode() {
    Set<String> served = new HashSet<>();
    for (int i = 0; i < NODES * 4; i++) {
      Reply reply = balanced.get("/health");
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
      served.add(cluster(reply).getString("node_id"));
    }
    // Round robin, no stickiness: one client's successive requests reach every node.
    assertThat(served).containsExactlyInAnyOrderElementsOf(nodeIds);
  }

  @Test
  @Order(3)
  void aMemoryWrittenThroughOneNodeIsReadThroughEveryOther() {
    String user = "cluster-" + UUID.randomUUID();
    String id = add(direct.getFirst(), user, "I keep bees on the roof of my building");
    for (Api other : direct.subList(1, NODES)) {
      Reply read = other.get("/memories/" + id);
      assertThat(read.status()).as(read.toString()).isEqualTo(200);
      assertThat(read.json().getString("memory")).isEqualTo("I keep bees on the roof of my building");
      Reply found = other.post("/search", new JsonObject().put("query", "Where are the bees kept?")
        .put("user_id", user));
      assertThat(found.json().getJsonArray("results").getJsonObject(0).getString("id")).isEqualTo(id);
    }
    // And through the load balancer, whichever node takes each request.
    String viaBalancer = add(balanced, user, "My neighbour sells our honey at the market");
    for (Api api : direct) {
      assertThat(api.get("/memories?user_id=" + user).json().getJsonArray("results").stream()
        .map(item -> ((JsonObject) item).getString("id")).toList()).contains(id, viaBalancer);
    }
  }

  @Test
  @Order(3)
  void aKeyRevokedThroughOneNodeIsRefusedByEveryNodeWithinASecond() {
    Reply created = direct.getFirst().post("/keys", new JsonObject().put("name", "cluster user")
      .put("users", new io.vertx.core.json.JsonArray().add("carla"))
      .put("permissions", new io.vertx.core.json.JsonArray().add("read")));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String secret = created.json().getString("secret");
    String id = created.json().getJsonObject("key").getString("id");
    List<Api> asCarla = direct.stream().map(api -> api.withKey(secret)).toList();
    for (Api api : asCarla) {
      assertThat(api.get("/memories").status()).as("a key made on one node works on every node").isEqualTo(200);
    }
    assertThat(direct.getFirst().delete("/keys/" + id).status()).isEqualTo(200);
    Eventually.await(Duration.ofSeconds(1), () -> asCarla.stream().allMatch(api -> api.get("/memories").status()
      == 401), () -> "statuses after revocation: " + asCarla.stream().map(api -> api.get("/memories").status())
      .toList());
  }

  @Test
  @Order(3)
  void aKeysRateLimitIsCountedOnceAcrossTheCluster() {
    Reply created = direct.getFirst().post("/keys", new JsonObject().put("name", "rate-limited")
      .put("users", new io.vertx.core.json.JsonArray().add("rita"))
      .put("permissions", new io.vertx.core.json.JsonArray().add("read")).put("requests_per_minute", 6));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String secret = created.json().getString("secret");
    List<Api> asRita = direct.stream().map(api -> api.withKey(secret)).toList();
    // Six reads a minute, spread over the three nodes: two each pass, and then every node refuses.
    for (int i = 0; i < 6; i++) {
      Reply read = asRita.get(i % NODES).get("/memories");
      assertThat(read.status()).as("read %d on node %d: %s", i + 1, i % NODES, read).isEqualTo(200);
    }
    for (Api api : asRita) {
      Reply refused = api.get("/memories");
      assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
      assertThat(refused.header("Retry-After")).isNotNull();
      assertThat(refused.header("RateLimit")).startsWith("\"reads\";r=0");
    }
  }

  @Test
  @Order(4)
  void aKilledNodeLeavesTheRotationWhileTheOthersGoOn() throws Exception {
    int victim = NODES - 1;
    String victimId = nodeIds.get(victim);
    List<String> survivors = nodeIds.subList(0, victim);
    nodes.get(victim).kill();
    long killedAt = System.nanoTime();

    // HAProxy checks /health/ready every second and takes a node out after 2 failures: from then on, every
    // request goes to a live node. Connection failures in between are retried on another node by HAProxy.
    List<String> failures = new ArrayList<>();
    int[] cleanRun = {0};
    Eventually.await(Duration.ofSeconds(20), () -> {
      try {
        Reply reply = balanced.get("/health");
        String node = reply.status() == 200 ? cluster(reply).getString("node_id") : null;
        if (node == null || node.equals(victimId)) {
          failures.add(node == null ? "status " + reply.status() : "served by the dead node");
          cleanRun[0] = 0;
        } else {
          cleanRun[0]++;
        }
      } catch (IllegalStateException e) {
        failures.add(e.getMessage());
        cleanRun[0] = 0;
      }
      return cleanRun[0] >= NODES * 4;
    }, () -> "the load balancer still fails or reaches the dead node: " + failures + "\n" + balancer.log());
    long routedAroundMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    System.out.printf("cluster: HAProxy routed around the killed node within %d ms (%d failed requests meanwhile: "
      + "%s)%n", routedAroundMs, failures.size(), failures);

    // The others go on: writes through the load balancer land, and each survivor reads every one of them.
    String user = "after-kill-" + UUID.randomUUID();
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      written.add(add(balanced, user, "Fact number " + i + " written after a node died"));
    }
    Set<String> served = new HashSet<>();
    for (int i = 0; i < NODES * 2; i++) {
      served.add(cluster(balanced.get("/health")).getString("node_id"));
    }
    assertThat(served).containsExactlyInAnyOrderElementsOf(survivors);
    for (Api api : direct.subList(0, victim)) {
      assertThat(api.get("/health/ready").status()).isEqualTo(200);
      for (String id : written) {
        assertThat(api.get("/memories/" + id).status()).isEqualTo(200);
      }
    }
  }

  private static String add(Api api, String user, String text) {
    Reply reply = api.post("/memories", new JsonObject().put("messages", text).put("user_id", user)
      .put("infer", false));
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.json().getJsonArray("results").getJsonObject(0).getString("id");
  }

  private static JsonObject cluster(Reply health) {
    JsonObject cluster = health.json().getJsonObject("cluster");
    assertThat(cluster).as("/health shows the cluster: " + health).isNotNull();
    return cluster;
  }

  private static boolean answers(Api api) {
    try {
      return api.get("/health").status() == 200;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** Ports free right now on loopback (the processes bind them moments later). */
  private static List<Integer> freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  /** gateway/bin/setup-haproxy, as `memgate test` runs it: quiet and quick when HAProxy is there. */
  private static void setUpHaproxy() throws Exception {
    Path script = LoadBalancerProcess.shippedConfig().getParent().getParent().resolve("gateway/bin/setup-haproxy");
    Process setup = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
    String output = new String(setup.getInputStream().readAllBytes());
    assertThat(setup.waitFor()).as("gateway/bin/setup-haproxy: " + output).isZero();
  }
}
