package dev.memgate.bench;

import dev.memgate.gateway.config.ConfigurationException;
import dev.memgate.gateway.config.Settings;
import dev.memgate.vector.MemoryStore;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code memgate bench}: how fast Memgate adds and searches through its HTTP API, and how much of a search is the
 * store itself. Starts the service in this JVM over a fresh data directory and runs four phases:
 * <ol>
 *   <li>load: N generated memories through {@code POST /memories} with {@code infer:false};</li>
 *   <li>search through HTTP, one at a time, each search followed by the same query's embedding alone in process;
 *   </li>
 *   <li>search through HTTP with C in flight;</li>
 *   <li>after stopping the service, the searches of phase 2 made directly against the store (pgvector: its
 *   statements sent as raw SQL);</li>
 *   <li>pgvector only: recall@10 of the HNSW index against an exact scan, within a user and over the table.</li>
 * </ol>
 * The table goes to stdout (and JSON to a file on request); logs go to stderr. Exit code 0 when every phase ran,
 * 2 for a bad command line, 1 when the run failed (any request answered other than 200 stops it).
 */
public final class Benchmark {
  private static final Logger LOG = LoggerFactory.getLogger(Benchmark.class);
  /** The scope of the warm-up adds, erased before timing. */
  static final String WARMUP_USER = "bench-warmup";

  private final BenchOptions options;

  private Benchmark(BenchOptions options) {
    this.options = options;
  }

  public static void main(String[] args) {
    // Exit explicitly: a library thread left behind must not keep a finished benchmark alive.
    System.exit(execute(args, System.out, System.err));
  }

  /** Runs the command line and returns its exit code. */
  static int execute(String[] args, PrintStream out, PrintStream err) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (BenchOptions.UsageException e) {
      err.println("memgate bench: " + e.getMessage() + " (try --help)");
      return 2;
    }
    if (options.help()) {
      out.print(BenchOptions.USAGE);
      return 0;
    }
    try {
      BenchReport report = new Benchmark(options).run();
      out.print(ReportTable.render(report));
      out.flush();
      if (options.jsonFile() != null) {
        Files.writeString(options.jsonFile(), report.toJson().encodePrettily() + "\n");
      }
      return 0;
    } catch (BenchOptions.UsageException e) {
      err.println("memgate bench: " + e.getMessage() + " (try --help)");
      return 2;
    } catch (ConfigurationException e) {
      err.println("memgate bench: configuration error: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("memgate bench: cannot write " + options.jsonFile() + ": " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      LOG.debug("benchmark failed", e);
      err.println("memgate bench: failed: " + e.getMessage());
      return 1;
    }
  }

  private BenchReport run() {
    double loadBefore = MachineInfo.loadAverage();
    StoreTarget target = StoreTarget.named(options);
    CorpusGenerator corpus = new CorpusGenerator(options.seed());
    List<Fact> facts = corpus.facts(options.memories(), CorpusGenerator.userIds(options.users()));
    List<Fact> warmupFacts = corpus.facts(options.warmup(), List.of(WARMUP_USER));
    List<Question> sequentialQuestions;
    List<Question> concurrentQuestions;
    List<Question> warmupQuestions;
    try {
      // Distinct query sets, so that no timed query finds its vector in the service's embedding cache.
      sequentialQuestions = corpus.questions(facts, options.searches());
      concurrentQuestions = corpus.questions(facts, options.searches());
      warmupQuestions = corpus.questions(facts, options.warmup());
    } catch (CorpusGenerator.TooSmallException e) {
      throw new BenchOptions.UsageException(options.memories() + " memories cannot give " + (2 * options.searches()
        + options.warmup()) + " different queries (2 x --searches + --warmup); load more memories or search less");
    }

    try (BenchDataDir data = BenchDataDir.prepare(options.dataDir(), options.keep())) {
      try {
        target.prepare();
        Settings settings = ServiceUnderTest.settings(target, data.path());
        LOG.info("benchmark: {} memories, {} users, {} searches, {} in flight, store {}, data in {}",
          options.memories(), options.users(), options.searches(), options.concurrency(), target.name(),
          data.path());
        ServicePhases service = servicePhases(settings, facts, warmupFacts, sequentialQuestions, concurrentQuestions,
          warmupQuestions);
        DirectPhases direct = directPhases(target, settings, data.path(), service, sequentialQuestions,
          warmupQuestions);
        return new BenchReport(MachineInfo.current(loadBefore), options, service.embedding(), warmupFacts.size(),
          warmupQuestions.size(), service.load(), service.sequential(), service.concurrent(), direct.search(),
          direct.settings(), direct.recall(), data.path(), data.kept(), target.where());
      } finally {
        target.cleanUp();
      }
    }
  }

  /** What phases 1 to 3 measured, and what phase 4 needs from the running service. */
  private record ServicePhases(MemoryStore.EmbeddingSpec embedding, LoadPhase.Result load,
                               HttpSearchPhase.Sequential sequential, HttpSearchPhase.Concurrent concurrent,
                               List<float[]> sequentialVectors, List<float[]> warmupVectors) {
  }

  private ServicePhases servicePhases(Settings settings, List<Fact> facts, List<Fact> warmupFacts,
                                      List<Question> sequentialQuestions, List<Question> concurrentQuestions,
                                      List<Question> warmupQuestions) {
    try (ServiceUnderTest service = ServiceUnderTest.start(settings);
         ApiClient api = new ApiClient(service.port())) {
      LOG.info("service up at {}; warming up the add path with {} memories", api.base(), warmupFacts.size());
      LoadPhase load = new LoadPhase(api, options.concurrency(), options.messagesPerAdd());
      load.warmUp(warmupFacts, WARMUP_USER);
      LOG.info("phase 1: loading {} memories", facts.size());
      LoadPhase.Result loaded = load.run(facts);
      if (loaded.memoriesAdded() != facts.size()) {
        throw new BenchFailure("the service added " + loaded.memoriesAdded() + " of " + facts.size()
          + " distinct memories");
      }

      MemoryStore.EmbeddingSpec embedding = service.embedding();
      HttpSearchPhase search = new HttpSearchPhase(api, options.concurrency());
      HttpSearchPhase.Sequential sequential;
      try (QueryEmbeddingTimer embedder = QueryEmbeddingTimer.start(embedding.model(),
        orPerCore(settings.integer("embedder.threads"), Runtime.getRuntime().availableProcessors()))) {
        LOG.info("warming up the search path and the query embedding with {} searches", warmupQuestions.size());
        search.warmUp(warmupQuestions);
        embedder.warmUp(warmupQuestions);
        LOG.info("phase 2: {} searches through HTTP, one at a time, each followed by its embedding alone",
          sequentialQuestions.size());
        sequential = search.sequential(sequentialQuestions, loaded.idsByFact(), embedder);
      }
      // Fetched now, while the embedding cache still holds exactly the vectors phase 2 searched with.
      List<float[]> sequentialVectors = service.queryVectors(sequentialQuestions);
      List<float[]> warmupVectors = service.queryVectors(warmupQuestions);
      LOG.info("phase 3: {} searches through HTTP, {} in flight", concurrentQuestions.size(), options.concurrency());
      HttpSearchPhase.Concurrent concurrent = search.concurrent(concurrentQuestions);
      return new ServicePhases(embedding, loaded, sequential, concurrent, sequentialVectors, warmupVectors);
    }
  }

  /** What phases 4 and 5 measured, and the search settings behind the figures. */
  private record DirectPhases(DirectSearchPhase.Result search, String settings, HnswRecallPhase.Result recall) {
  }

  private DirectPhases directPhases(StoreTarget target, Settings settings, Path dataDir, ServicePhases service,
                                    List<Question> sequentialQuestions, List<Question> warmupQuestions) {
    Vertx vertx = Vertx.vertx();
    try (DirectSearcher searcher = target.openDirect(vertx, dataDir, settings, service.embedding())) {
      DirectSearchPhase direct = new DirectSearchPhase(searcher);
      LOG.info("phase 4: service stopped; {}; warming up with {} searches", searcher.label(),
        warmupQuestions.size());
      direct.warmUp(warmupQuestions, service.warmupVectors());
      DirectSearchPhase.Result result = direct.run(sequentialQuestions, service.sequentialVectors());
      int recallQueries = Math.min(options.recallQueries(), sequentialQuestions.size());
      HnswRecallPhase.Result recall = searcher.recall(sequentialQuestions.subList(0, recallQueries),
        service.sequentialVectors().subList(0, recallQueries)).orElse(null);
      return new DirectPhases(result, searcher.settings(), recall);
    } finally {
      vertx.close().await();
    }
  }

  /** The service's rule for thread counts: 0 means its per-core default. */
  private static int orPerCore(int configured, int perCoreDefault) {
    return configured > 0 ? configured : perCoreDefault;
  }
}
