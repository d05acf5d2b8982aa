package dev.memgate.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The benchmark's small parts whose mistakes would silently skew the figures. */
class BenchPartsTest {

  @Test
  void percentilesAreNearestRankOverTheMeasuredLatencies() {
    // 1 ms .. 100 ms, shuffled by construction order.
    long[] nanos = LongStream.rangeClosed(1, 100).map(i -> ((i * 37) % 100 + 1) * 1_000_000L).toArray();

    LatencySummary summary = LatencySummary.of(nanos);

    assertThat(summary.count()).isEqualTo(100);
    assertThat(summary.p50Ms()).isEqualTo(50.0);
    assertThat(summary.p95Ms()).isEqualTo(95.0);
    assertThat(summary.p99Ms()).isEqualTo(99.0);
    assertThat(summary.maxMs()).isEqualTo(100.0);
    assertThat(summary.meanMs()).isEqualTo(50.5);
    assertThat(LatencySummary.of(new long[] {3_000_000L}).p99Ms()).isEqualTo(3.0);
  }

  @Test
  void addRequestsCarryOneUsersFactsAtMostKAtATimeAndInterleaveTheUsers() {
    List<Fact> facts = new CorpusGenerator(1).facts(23, CorpusGenerator.userIds(3));

    List<List<Fact>> requests = LoadPhase.requests(facts, 4);

    assertThat(requests.stream().flatMap(List::stream).toList()).containsExactlyInAnyOrderElementsOf(facts);
    assertThat(requests).allSatisfy(batch -> {
      assertThat(batch).hasSizeBetween(1, 4);
      assertThat(batch.stream().map(Fact::userId).distinct()).hasSize(1);
    });
    assertThat(requests.subList(0, 3).stream().map(b -> b.get(0).userId()).distinct()).hasSize(3);
    assertThat(LoadPhase.requests(facts, 1)).hasSize(23);
  }

  @Test
  void defaultsAreThoseOfTheIssue() {
    BenchOptions options = BenchOptions.parse();

    assertThat(options.memories()).isEqualTo(10_000);
    assertThat(options.users()).isEqualTo(10);
    assertThat(options.searches()).isEqualTo(1_000);
    assertThat(options.concurrency()).isEqualTo(16);
    assertThat(options.messagesPerAdd()).isEqualTo(1);
    assertThat(options.store()).isEqualTo("lucene");
    assertThat(options.dataDir()).isNull();
    assertThat(options.keep()).isFalse();
    assertThat(options.jsonFile()).isNull();
    assertThat(options.databaseUrl()).isNull();
    assertThat(options.recallQueries()).isEqualTo(200);
  }

  @Test
  void thePgvectorStoreDefaultsToTheIssuesWorkloadInBatchesUnlessToldOtherwise() {
    BenchOptions options = BenchOptions.parse("--store", "pgvector");

    assertThat(options.memories()).isEqualTo(100_000);
    assertThat(options.users()).isEqualTo(100);
    assertThat(options.messagesPerAdd()).isEqualTo(32);
    BenchOptions told = BenchOptions.parse("--messages-per-add", "1", "--store", "pgvector", "--memories", "500",
      "--users", "5");
    assertThat(List.of(told.memories(), told.users(), told.messagesPerAdd())).containsExactly(500, 5, 1);
    assertThatThrownBy(() -> BenchOptions.parse("--database-url", "postgresql://h/db"))
      .hasMessageContaining("--database-url is for --store pgvector only");
    assertThatThrownBy(() -> BenchOptions.parse("--store", "pgvector", "--database-url", "h:5432/db"))
      .hasMessageContaining("must be a postgresql:// URL");
  }

  @Test
  void optionsAreReadAndBadValuesNamed() {
    BenchOptions options = BenchOptions.parse("--memories", "5_000", "--users", "3", "--searches", "10",
      "--concurrency", "2", "--messages-per-add", "8", "--store", "pgvector", "--data-dir", "d", "--keep", "--json",
      "f.json", "--seed", "-3", "--warmup", "0", "--database-url", "postgresql://u@h:5433/db", "--recall-queries",
      "50");

    assertThat(options).isEqualTo(new BenchOptions(5_000, 3, 10, 2, 8, "pgvector", Path.of("d"), true,
      Path.of("f.json"), -3, 0, false, "postgresql://u@h:5433/db", 50));
    assertThatThrownBy(() -> BenchOptions.parse("--concurrency", "0")).hasMessageContaining("--concurrency");
    assertThatThrownBy(() -> BenchOptions.parse("--messages-per-add", "501")).hasMessageContaining("between 1 and 500");
    assertThatThrownBy(() -> BenchOptions.parse("--store", "chroma")).hasMessageContaining("--store must be one of");
    assertThatThrownBy(() -> BenchOptions.parse("--users", "20", "--memories", "10")).hasMessageContaining("--users");
    assertThatThrownBy(() -> BenchOptions.parse("--searches")).hasMessageContaining("--searches needs a value");
    assertThatThrownBy(() -> BenchOptions.parse("--fast")).hasMessageContaining("unknown option --fast");
  }

  @Test
  void aTemporaryDataDirectoryIsDeletedUnlessKept() throws Exception {
    BenchDataDir removed = BenchDataDir.prepare(null, false);
    Files.writeString(removed.path().resolve("segment"), "x");
    removed.close();
    assertThat(removed.path()).doesNotExist();

    BenchDataDir kept = BenchDataDir.prepare(null, true);
    kept.close();
    assertThat(kept.path()).isDirectory();
    Files.delete(kept.path());
  }

  @Test
  void aNamedDataDirectoryIsCreatedAndNeverDeleted(@TempDir Path tmp) throws Exception {
    Path named = tmp.resolve("bench-data");
    BenchDataDir data = BenchDataDir.prepare(named, false);
    Files.writeString(data.path().resolve("segment"), "x");
    data.close();

    assertThat(named.resolve("segment")).exists();
  }
}
