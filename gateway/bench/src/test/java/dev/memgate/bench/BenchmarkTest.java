package dev.memgate.bench;

import dev.memgate.gateway.testing.PgvectorStore;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code memgate bench} end to end with tiny numbers: the real service, real HTTP, the real store and model. Checks
 * that a run completes and reports a figure for every phase; the values themselves are the benchmark's business.
 */
class BenchmarkTest {
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  private int bench(String... args) {
    return Benchmark.execute(args, new PrintStream(stdout, true, StandardCharsets.UTF_8),
      new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  @Test
  void runsEveryPhaseAndReportsItsFiguresOnStdoutAndAsJson(@TempDir Path tmp) throws Exception {
    Path json = tmp.resolve("figures.json");
    Path data = tmp.resolve("data");

    int code = bench("--memories", "120", "--users", "4", "--searches", "40", "--concurrency", "4",
      "--messages-per-add", "2", "--warmup", "10", "--data-dir", data.toString(), "--json", json.toString());

    assertThat(code).as(stderr.toString(StandardCharsets.UTF_8)).isZero();
    String table = stdout.toString(StandardCharsets.UTF_8);
    assertThat(table).contains("1 load: POST /memories", "2 search over HTTP, one at a time",
      "3 search over HTTP, 4 in flight", "4 store search in process", "query embedding alone",
      "HTTP / store search in process", "same top-1, HTTP and direct", "warm-up",
      Runtime.getRuntime().availableProcessors() + " cores");

    JsonObject figures = new JsonObject(Files.readString(json));
    JsonObject load = figures.getJsonObject("load");
    assertThat(load.getInteger("memories_added")).isEqualTo(120);
    assertThat(load.getInteger("requests")).isEqualTo(60);
    assertThat(load.getDouble("memories_per_s")).isPositive();
    assertLatencies(load.getJsonObject("request_latency_ms"), 60);

    JsonObject sequential = figures.getJsonObject("search_http_sequential");
    assertThat(sequential.getDouble("queries_per_s")).isPositive();
    assertLatencies(sequential.getJsonObject("latency_ms"), 40);
    JsonObject concurrent = figures.getJsonObject("search_http_concurrent");
    assertThat(concurrent.getInteger("concurrency")).isEqualTo(4);
    assertThat(concurrent.getDouble("queries_per_s")).isPositive();
    assertLatencies(concurrent.getJsonObject("latency_ms"), 40);
    JsonObject direct = figures.getJsonObject("search_direct");
    assertThat(direct.getDouble("queries_per_s")).isPositive();
    assertLatencies(direct.getJsonObject("latency_ms"), 40);
    assertLatencies(figures.getJsonObject("query_embedding").getJsonObject("latency_ms"), 40);

    JsonObject comparison = figures.getJsonObject("comparison");
    assertThat(comparison.getDouble("http_over_direct_p50")).isPositive();
    assertThat(comparison.getDouble("http_over_direct_p95")).isPositive();
    assertThat(comparison.getDouble("http_minus_embedding_p50_ms")).isNotNull();
    assertThat(comparison.getInteger("top1_agreeing")).isBetween(0, 40);
    assertThat(comparison.getDouble("top1_agreement")).isBetween(0.0, 1.0);
    assertThat(figures.getJsonObject("machine").getInteger("cores"))
      .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(figures.getJsonObject("warmup").getInteger("searches_per_path")).isEqualTo(10);

    // A directory the user named is theirs: it stays, holding the store the run wrote.
    assertThat(figures.getJsonObject("workload").getString("data_dir")).isEqualTo(data.toAbsolutePath().toString());
    try (var entries = Files.list(data)) {
      assertThat(entries.toList()).isNotEmpty();
    }
  }

  @Test
  void measuresPgvectorThroughHttpAsRawSqlAndItsIndexRecallInADatabaseItDropsAfterwards(@TempDir Path tmp)
    throws Exception {
    Path json = tmp.resolve("figures.json");

    int code = bench("--store", "pgvector", "--memories", "120", "--users", "4", "--searches", "30",
      "--concurrency", "4", "--messages-per-add", "8", "--warmup", "10", "--recall-queries", "20", "--json",
      json.toString());

    assertThat(code).as(stderr.toString(StandardCharsets.UTF_8)).isZero();
    String table = stdout.toString(StandardCharsets.UTF_8);
    assertThat(table).contains("pgvector store, 120 memories over 4 users", "1 load: POST /memories",
      "2 search over HTTP, one at a time", "4 raw SQL, the store's statements", "path the store chose",
      "HTTP / raw SQL", "5 HNSW recall@10 against an exact scan, 20 queries", "one user",
      "whole table", "one user: Limit / Index Scan using memgate_memories_embedding");

    JsonObject figures = new JsonObject(Files.readString(json));
    assertThat(figures.getJsonObject("load").getInteger("memories_added")).isEqualTo(120);
    assertThat(figures.getJsonObject("load").getInteger("requests")).isEqualTo(16);
    assertLatencies(figures.getJsonObject("search_http_sequential").getJsonObject("latency_ms"), 30);
    assertLatencies(figures.getJsonObject("search_http_concurrent").getJsonObject("latency_ms"), 30);
    JsonObject direct = figures.getJsonObject("search_direct");
    assertLatencies(direct.getJsonObject("latency_ms"), 30);
    // Scopes of 30 memories are far below exact_search_below: the store scans them exactly, every time.
    assertThat(direct.getJsonObject("paths").getMap()).containsExactly(Map.entry("exact scan", 30));
    JsonObject comparison = figures.getJsonObject("comparison");
    assertThat(comparison.getDouble("http_over_direct_p50")).isPositive();
    assertThat(comparison.getDouble("http_over_direct_p95")).isPositive();
    assertThat(comparison.getInteger("top1_agreeing")).isBetween(0, 30);

    JsonObject recall = figures.getJsonObject("hnsw_recall");
    assertThat(recall.getInteger("queries")).isEqualTo(20);
    for (String measure : List.of("within_user_scope", "whole_table")) {
      JsonObject figure = recall.getJsonObject(measure);
      assertThat(figure.getDouble("recall_at_10")).as(measure).isBetween(0.0, 1.0);
      assertThat(figure.getInteger("queries_with_all_10")).as(measure).isBetween(0, 20);
      assertLatencies(figure.getJsonObject("index_latency_ms"), 20);
      assertLatencies(figure.getJsonObject("exact_latency_ms"), 20);
      assertThat(figure.getDouble("distance_recall_at_10")).as(measure).isBetween(figure.getDouble("recall_at_10"),
        1.0);
      assertThat(figure.getString("index_plan")).as(measure).contains("memgate_memories_embedding");
      // The store's ef_search of 100, then twice and four times as many candidates.
      assertThat(figure.getJsonArray("by_ef_search").stream().map(at -> ((JsonObject) at).getInteger("ef_search")))
        .as(measure).containsExactly(100, 200, 400);
      figure.getJsonArray("by_ef_search").forEach(at ->
        assertLatencies(((JsonObject) at).getJsonObject("index_latency_ms"), 20));
    }
    assertThat(recall.getJsonObject("within_user_scope").getLong("memories_searched")).isEqualTo(30);
    assertThat(recall.getJsonObject("whole_table").getLong("memories_searched")).isEqualTo(120);

    String location = figures.getJsonObject("workload").getString("store_location");
    Matcher database = Pattern.compile("memgate_bench_[0-9a-f]+").matcher(location);
    assertThat(database.find()).as(location).isTrue();
    assertThat(location).contains("dropped afterwards");
    assertThat(PgvectorStore.databaseExists(database.group())).as(database.group()).isFalse();
  }

  @Test
  void refusesADatabaseThatAlreadyHoldsMemoriesAndLeavesThemAlone() {
    try (PgvectorStore store = new PgvectorStore()) {
      store.sql("CREATE TABLE memgate_memories (id text PRIMARY KEY)");
      store.sql("CREATE TABLE memgate_history (id text PRIMARY KEY)");
      store.sql("INSERT INTO memgate_memories VALUES ('precious')");

      int code = bench("--store", "pgvector", "--memories", "10", "--users", "1", "--searches", "5", "--warmup",
        "0", "--database-url", store.url());

      assertThat(code).isEqualTo(2);
      assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("--database-url", store.database(),
        "already holds Memgate memories");
      assertThat(store.sql("SELECT id FROM memgate_memories")).containsExactly(new JsonObject().put("id", "precious"));
    }
  }

  private static void assertLatencies(JsonObject latency, int count) {
    assertThat(latency.getInteger("count")).isEqualTo(count);
    for (String figure : List.of("mean", "p50", "p95", "p99", "max")) {
      assertThat(latency.getDouble(figure)).as(figure).isPositive();
    }
    assertThat(latency.getDouble("p50")).isLessThanOrEqualTo(latency.getDouble("p95"));
    assertThat(latency.getDouble("p95")).isLessThanOrEqualTo(latency.getDouble("p99"));
    assertThat(latency.getDouble("p99")).isLessThanOrEqualTo(latency.getDouble("max"));
  }

  @Test
  void refusesABadCommandLineBeforeStartingAnything() {
    assertThat(bench("--memories", "ten")).isEqualTo(2);
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("--memories must be a whole number (got ten)");
    assertThat(stdout.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void refusesMoreSearchesThanTheMemoriesCanAskAboutBeforeStartingAnything() {
    assertThat(bench("--memories", "10", "--users", "1", "--searches", "1000")).isEqualTo(2);
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("10 memories cannot give 2300 different queries");
  }

  @Test
  void refusesADataDirectoryThatIsNotEmpty(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("precious.txt"), "keep me");

    assertThat(bench("--memories", "10", "--users", "1", "--searches", "5", "--warmup", "0", "--data-dir",
      tmp.toString())).isEqualTo(2);

    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("--data-dir", "must be empty or absent");
    assertThat(tmp.resolve("precious.txt")).hasContent("keep me");
  }

  @Test
  void helpListsEveryOption() {
    assertThat(bench("--help")).isZero();
    assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("--memories N", "--users U", "--searches S",
      "--concurrency C", "--messages-per-add K", "--store NAME", "--data-dir DIR", "--keep", "--json FILE",
      "--seed SEED", "--warmup W", "--database-url URL", "--recall-queries Q");
  }
}
