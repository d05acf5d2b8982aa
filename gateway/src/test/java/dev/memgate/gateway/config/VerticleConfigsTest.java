package dev.memgate.gateway.config;

import dev.memgate.access.AccessVerticle;
import dev.memgate.embedding.EmbeddingVerticle;
import dev.memgate.gateway.http.HttpVerticle;
import dev.memgate.graph.GraphVerticle;
import dev.memgate.llm.LlmVerticle;
import dev.memgate.mcp.McpVerticle;
import dev.memgate.memory.MemoryVerticle;
import dev.memgate.gateway.testing.ConfigKeys;
import dev.memgate.gateway.testing.RunningService;
import dev.memgate.vector.VectorVerticle;
import dev.memgate.vector.pgvector.PgVectorMemoryStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Verticles take their configuration complete from the composition root, which builds it from conf/memgate.yaml
 * (under the user's file and environment): every key the root hands a verticle is one the verticle needs, and a
 * verticle whose configuration lacks it refuses to start with one line naming it. A verticle never falls back on a
 * default of its own, which could drift from the file's (as the graph's {@code embedded} did from {@code auto}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerticleConfigsTest {
  /** Keys a verticle may go without, on purpose: left out here because leaving them out starts the verticle. */
  private static final Map<String, Set<String>> OPTIONAL = Map.of(
    "graph verticle", Set.of("llm_timeout_ms"),
    "memory verticle", Set.of("inference"));
  /** Objects handed over whole (a schema, the view /health shows): their content is not configuration. */
  private static final Set<String> OPAQUE = Set.of("public_config", "memory_item_schema");

  private Vertx vertx;
  private Path dataDir;

  @BeforeAll
  void start() throws IOException {
    vertx = Vertx.vertx();
    dataDir = Files.createTempDirectory("memgate-verticle-configs-");
  }

  @AfterAll
  void stop() {
    vertx.close().await();
    RunningService.deleteTree(dataDir);
  }

  /**
   * Everything on, so that every verticle and every part of its configuration is built: an LLM (an
   * OpenAI-compatible server that is never called), a Neo4j graph (never reached), and a remote embedder besides the
   * default one.
   */
  private Settings settings(Map<String, String> more) {
    Map<String, String> env = new HashMap<>(Map.of(
      "MEMGATE_DATA_DIR", dataDir.toString(),
      "MEMGATE_HTTP_PORT", "0",
      "MEMGATE_MCP_PORT", "0",
      "LLM_PROVIDER", "openai",
      "OPENAI_BASE_URL", "http://127.0.0.1:9/v1",
      "GRAPH_STORE", "neo4j",
      "NEO4J_URI", "neo4j://127.0.0.1:9"));
    env.putAll(more);
    return Settings.load(env, null);
  }

  private record Case(String owner, Supplier<Deployable> verticle, JsonObject config, String key) {
    @Override
    public String toString() {
      return owner + " without " + key;
    }
  }

  List<Case> everyKeyOfEveryVerticle() {
    VerticleConfigs onnx = new VerticleConfigs(settings(Map.of()));
    VerticleConfigs remote = new VerticleConfigs(settings(Map.of("EMBEDDER_PROVIDER", "ollama")));
    List<Case> cases = new ArrayList<>();
    add(cases, "embedding verticle", EmbeddingVerticle::new, onnx.embedding());
    add(cases, "embedding verticle", EmbeddingVerticle::new, remote.embedding());
    add(cases, "llm verticle", LlmVerticle::new, onnx.llm());
    add(cases, "graph verticle", GraphVerticle::new, onnx.graph(0.2));
    add(cases, "vector verticle", VectorVerticle::new, onnx.vector("e5-small-v2-q", 384));
    add(cases, "memory verticle", MemoryVerticle::new, onnx.memory());
    add(cases, "mcp verticle", McpVerticle::new, onnx.mcp(true));
    add(cases, "http verticle", HttpVerticle::new, onnx.http());
    add(cases, "access verticle", AccessVerticle::new, onnx.access());
    return cases;
  }

  private static void add(List<Case> cases, String owner, Supplier<Deployable> verticle, JsonObject config) {
    for (String key : ConfigKeys.keys(config, OPAQUE)) {
      if (!OPTIONAL.getOrDefault(owner, Set.of()).contains(key)) {
        cases.add(new Case(owner, verticle, config, key));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyKeyOfEveryVerticle")
  void aVerticleWithoutAKeyItNeedsDoesNotStartAndSaysWhichKey(Case missing) {
    JsonObject config = ConfigKeys.without(missing.config(), missing.key());
    Throwable failure = vertx.deployVerticle(missing.verticle(), new DeploymentOptions().setConfig(config))
      .transform(done -> Future.succeededFuture(done.cause())).await();

    assertThat(failure).as("deployed without %s", missing.key()).isNotNull();
    assertThat(ConfigKeys.rootMessage(failure))
      .isEqualTo(missing.owner() + ": configuration key \"" + missing.key() + "\" is missing");
  }

  @Test
  void theRootGivesEachVerticleTheKeysItReads() {
    // The other half of the test above: with nothing left out, the parts that start quickly start.
    VerticleConfigs configs = new VerticleConfigs(settings(Map.of()));
    String id = vertx.deployVerticle(MemoryVerticle::new, new DeploymentOptions().setConfig(configs.memory()))
      .await();
    vertx.undeploy(id).await();
    id = vertx.deployVerticle(LlmVerticle::new, new DeploymentOptions().setConfig(configs.llm())).await();
    vertx.undeploy(id).await();
  }

  /** The PostgreSQL store reads its part when it is built, before it connects: no database is needed here. */
  @Test
  void thePgvectorPartIsCompleteToo() {
    VerticleConfigs configs = new VerticleConfigs(settings(Map.of("VECTOR_STORE", "pgvector",
      "PGHOST", "127.0.0.1")));
    JsonObject pgvector = configs.vector("e5-small-v2-q", 384).getJsonObject("pgvector");
    new PgVectorMemoryStore(vertx, pgvector);
    for (String key : ConfigKeys.keys(pgvector, Set.of())) {
      assertThatThrownBy(() -> new PgVectorMemoryStore(vertx, ConfigKeys.without(pgvector, key)))
        .as(key).hasMessage("pgvector store: configuration key \"" + key + "\" is missing");
    }
  }

  @Test
  void aValueOfTheWrongTypeIsNamedToo() {
    VerticleConfigs configs = new VerticleConfigs(settings(Map.of()));
    Throwable failure = vertx.deployVerticle(MemoryVerticle::new, new DeploymentOptions()
        .setConfig(configs.memory().put("default_search_mode", 3)))
      .transform(done -> Future.succeededFuture(done.cause())).await();
    assertThat(ConfigKeys.rootMessage(failure))
      .isEqualTo("memory verticle: configuration key \"default_search_mode\" must be text");
  }
}
