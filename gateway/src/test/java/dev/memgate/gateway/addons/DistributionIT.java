package dev.memgate.gateway.addons;

import dev.memgate.gateway.testing.Api;
import dev.memgate.gateway.testing.PackagedJar;
import dev.memgate.gateway.testing.ServiceProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distribution as `package` builds it: the runtime jar ({@code gateway/target/memgate.jar}) holds what the
 * default start needs and nothing optional, the add-on jars beside it ({@code gateway/target/addons/}) are picked up
 * by {@code java -jar memgate.jar} when present, and a configuration that needs an absent add-on stops with one line
 * saying which jar to add.
 */
class DistributionIT {
  private static final long MB = 1024 * 1024;
  private static final List<String> ADD_ONS = List.of("memgate-graph-embedded.jar",
    "memgate-model-all-minilm-l6-v2.jar", "memgate-model-bge-small-en-v15-q.jar", "memgate-cluster-hazelcast.jar");

  private static Path addOns() {
    return PackagedJar.path().resolveSibling("addons");
  }

  @Test
  void theRuntimeJarHoldsTheDefaultStartAndNothingOptionalInUnder100MB() throws IOException {
    Path jar = PackagedJar.path();
    assertThat(Files.size(jar)).as("runtime jar size").isLessThan(100 * MB);
    Set<String> names = entries(jar);
    assertThat(names).contains("e5-small-v2-q.onnx", "e5-small-v2-q-tokenizer.json",
      "dev/memgate/gateway/Main.class", "org/apache/lucene/index/IndexWriter.class",
      "io/vertx/pgclient/PgBuilder.class", "org/neo4j/driver/Driver.class");
    assertThat(names).as("no other model, no Neo4j server, no benchmark")
      .doesNotContain("all-minilm-l6-v2.onnx", "bge-small-en-v1.5-q.onnx",
        "org/neo4j/graphdb/GraphDatabaseService.class")
      .noneMatch(name -> name.startsWith("dev/memgate/bench/") || name.startsWith("org/neo4j/kernel/"));
    assertThat(names).as("no cluster manager: clustering is an add-on")
      .noneMatch(name -> name.startsWith("com/hazelcast/") || name.startsWith("io/vertx/spi/cluster/hazelcast/"));
    assertThat(names).as("no debug symbols").noneMatch(name -> name.contains(".dSYM/") || name.endsWith(".pdb"));
    assertThat(platforms(names, "ai/onnxruntime/native/"))
      .containsExactlyInAnyOrder("linux-x64", "linux-aarch64", "osx-aarch64", "win-x64");
    assertThat(platforms(names, "native/lib/"))
      .containsExactlyInAnyOrder("linux-x86_64", "linux-aarch64", "osx-aarch64", "win-x86_64");
  }

  @Test
  void everyAddOnIsBuiltBesideTheJarAndCarriesNoClassTheRuntimeHas() throws IOException {
    Set<String> runtimeClasses = classes(entries(PackagedJar.path()));
    for (String addOn : ADD_ONS) {
      Path jar = addOns().resolve(addOn);
      assertThat(jar).as(addOn).isRegularFile();
      Set<String> twice = new TreeSet<>(classes(entries(jar)));
      twice.retainAll(runtimeClasses);
      assertThat(twice).as("classes both in the runtime jar and in " + addOn).isEmpty();
    }
  }

  @Test
  void addOnsBesideTheJarArePickedUp(@TempDir Path dataDir) throws Exception {
    try (ServiceProcess service = ServiceProcess.startJar(PackagedJar.path(), Map.of(
      "MEMGATE_DATA_DIR", dataDir.toString(), "MEMGATE_HTTP_PORT", "0",
      "EMBEDDER_MODEL", "bge-small-en-v1.5-q", "GRAPH_STORE", "embedded"))) {
      Api api = service.api();
      JsonObject components = api.get("/health").json().getJsonObject("components");
      assertThat(components.getJsonObject("embedding").getString("model")).isEqualTo("bge-small-en-v1.5-q");
      assertThat(components.getJsonObject("graph").getString("status")).isEqualTo("UP");
      assertThat(components.getJsonObject("graph").getString("store")).isEqualTo("embedded");
      // Neo4j's logging configuration finds its plugins (the JSON template layout) in the add-on.
      assertThat(service.stderr()).doesNotContain("invalid element or attribute");
    }
  }

  @Test
  void aConfigurationNeedingAnAbsentAddOnStopsWithOneLineNamingIt(@TempDir Path bare, @TempDir Path dataDir)
    throws Exception {
    // The runtime alone, as a distribution without add-ons ships it.
    Path jar = Files.copy(PackagedJar.path(), bare.resolve("memgate.jar"));
    Map<String, String> needs = Map.of(
      "GRAPH_STORE", "memgate-graph-embedded.jar",
      "EMBEDDER_MODEL", "memgate-model-all-minilm-l6-v2.jar");
    Map<String, String> values = Map.of("GRAPH_STORE", "embedded", "EMBEDDER_MODEL", "all-minilm-l6-v2");
    for (Map.Entry<String, String> need : needs.entrySet()) {
      Map<String, String> env = new HashMap<>(Map.of("MEMGATE_DATA_DIR", dataDir.toString(), "MEMGATE_HTTP_PORT", "0"));
      env.put(need.getKey(), values.get(need.getKey()));
      try (ServiceProcess service = ServiceProcess.startJar(jar, env)) {
        assertThat(service.waitForExit(60)).isEqualTo(2);
        List<String> said = service.stderr().lines().filter(line -> !line.startsWith("WARNING")).toList();
        assertThat(said).hasSize(1);
        assertThat(said.get(0)).startsWith("memgate: configuration error: " + need.getKey())
          .contains(need.getValue()).contains("addons/");
      }
    }
    // A clustered node without the cluster add-on (its other settings in order).
    try (ServiceProcess service = ServiceProcess.startJar(jar, Map.of("MEMGATE_DATA_DIR", dataDir.toString(),
      "MEMGATE_HTTP_PORT", "0", "MEMGATE_CLUSTER_ENABLED", "true", "VECTOR_STORE", "pgvector",
      "DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres", "GRAPH_STORE", "none"))) {
      assertThat(service.waitForExit(60)).isEqualTo(2);
      List<String> said = service.stderr().lines().filter(line -> !line.startsWith("WARNING")).toList();
      assertThat(said).hasSize(1);
      assertThat(said.get(0)).startsWith("memgate: configuration error: MEMGATE_CLUSTER_ENABLED")
        .contains("addons/memgate-cluster-hazelcast.jar");
    }
    // Without the graph add-on, auto (with an LLM configured) leaves the graph off instead of failing.
    try (ServiceProcess service = ServiceProcess.startJar(jar, Map.of("MEMGATE_DATA_DIR", dataDir.toString(),
      "MEMGATE_HTTP_PORT", "0", "LLM_PROVIDER", "ollama", "OLLAMA_BASE_URL", "http://127.0.0.1:9"))) {
      JsonObject graph = service.api().get("/health").json().getJsonObject("components").getJsonObject("graph");
      assertThat(graph.getString("status")).isEqualTo("DISABLED");
    }
  }

  private static Set<String> platforms(Set<String> names, String prefix) {
    return names.stream().filter(name -> name.startsWith(prefix) && name.length() > prefix.length())
      .map(name -> name.substring(prefix.length()).split("/")[0])
      .filter(part -> !part.contains(".")).collect(Collectors.toSet());
  }

  private static Set<String> classes(Set<String> names) {
    return names.stream().filter(name -> name.endsWith(".class") && !name.startsWith("META-INF/"))
      .collect(Collectors.toSet());
  }

  private static Set<String> entries(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile()); Stream<? extends ZipEntry> all = zip.stream()) {
      return all.filter(entry -> !entry.isDirectory()).map(ZipEntry::getName).collect(Collectors.toSet());
    }
  }
}
