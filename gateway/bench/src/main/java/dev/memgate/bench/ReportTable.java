package dev.memgate.bench;

import java.util.List;
import java.util.Locale;

/** The run as a table a person reads on stdout. */
final class ReportTable {
  private static final String ROW = "%-48s %7s %9s %8s %8s %8s %8s %8s%n";
  private static final String RECALL_ROW = "    %-12s %9s %9s %9s %8s %6s %5s %9s %8s %9s %8s%n";

  private ReportTable() {
  }

  static String render(BenchReport report) {
    BenchOptions options = report.options();
    MachineInfo machine = report.machine();
    StringBuilder out = new StringBuilder();
    out.append(format("Memgate benchmark: %s store, %d memories over %d users%n", options.store(),
      options.memories(), options.users()));
    out.append(format("  machine   %d cores (%s), %s; load average %.1f before, %.1f after%n", machine.cores(),
      machine.cpu(), machine.os(), machine.loadBefore(), machine.loadAfter()));
    out.append(format("  JVM       JDK %s, max heap %d MB; client and service share it%n", machine.jdk(),
      machine.maxHeapMb()));
    out.append(format("  service   memgate %s, default configuration, embedder %s (%d dimensions)%n",
      machine.memgateVersion(), report.embedding().model(), report.embedding().dimension()));
    out.append(format("  workload  %d per add, %d in flight; %d searches per phase, limit %d; seed %d%n",
      options.messagesPerAdd(), options.concurrency(), options.searches(), HttpSearchPhase.LIMIT, options.seed()));
    out.append(format("  warm-up   %d adds (a throwaway user, erased) and %d searches per path, before timing "
      + "and not counted%n", report.warmupAdds(), report.warmupSearches()));
    if (report.storeWhere() != null) {
      out.append(format("  store     %s%n", report.storeWhere()));
    }
    if (!report.searchSettings().isEmpty()) {
      out.append(format("  search    %s%n", report.searchSettings()));
    }
    if (report.dataKept()) {
      out.append(format("  data      kept in %s%n", report.dataDir().toAbsolutePath()));
    }
    out.append('\n');
    out.append(format(ROW, "phase (latencies in ms)", "count", "per s", "mean", "p50", "p95", "p99", "max"));
    LoadPhase.Result load = report.load();
    row(out, "1 load: POST /memories, " + options.concurrency() + " in flight", load.memoriesAdded(),
      load.memoriesPerSecond(), load.requestLatency());
    out.append(format("    %d requests of %d in %.1f s; per s = memories/s; latency per request%n", load.requests(),
      options.messagesPerAdd(), load.wallNanos() / 1e9));
    row(out, "2 search over HTTP, one at a time", report.httpSequential().latency().count(),
      report.httpSequential().queriesPerSecond(), report.httpSequential().latency());
    LatencySummary embedding = report.queryEmbedding();
    row(out, "    query embedding alone, in process", embedding.count(), 1000.0 / embedding.meanMs(), embedding);
    row(out, "3 search over HTTP, " + report.httpConcurrent().concurrency() + " in flight",
      report.httpConcurrent().latency().count(), report.httpConcurrent().queriesPerSecond(),
      report.httpConcurrent().latency());
    DirectSearchPhase.Result direct = report.direct();
    row(out, "4 " + direct.label() + " (queries of 2)", direct.latency().count(), direct.queriesPerSecond(),
      direct.latency());
    if (!direct.paths().isEmpty()) {
      StringBuilder paths = new StringBuilder();
      direct.paths().forEach((path, count) -> paths.append(paths.isEmpty() ? "" : ", ").append(path).append(' ')
        .append(count).append(" of ").append(direct.latency().count()));
      out.append(format("    path the store chose: %s%n", paths));
    }
    out.append(format("    per s: memories/s (1), queries/s (3 over its wall time; 2 and 4: 1000 / mean)%n"));
    out.append('\n');
    out.append(format("  HTTP / %s  p50 %.1fx, p95 %.1fx%n", direct.label(), report.httpOverDirectP50(),
      report.httpOverDirectP95()));
    out.append(format("  HTTP minus embedding, per query  p50 %.2f ms (phase 4 p50 %.2f ms, the rest HTTP, validation, "
      + "bus, JSON)%n", report.httpMinusEmbeddingP50Ms(), direct.latency().p50Ms()));
    int searches = report.httpSequential().latency().count();
    out.append(format("  same top-1, HTTP and direct      %d of %d (%.1f%%)%n", report.top1Agreeing(), searches,
      100.0 * report.top1Agreeing() / searches));
    out.append(format("  fact the query was made from     first in %.1f%%, in the top %d in %.1f%% (phase 2)%n",
      100.0 * report.httpSequential().sourceFirst() / searches, HttpSearchPhase.LIMIT,
      100.0 * report.httpSequential().sourceInResults() / searches));
    if (report.recall() != null) {
      recall(out, report.recall());
    }
    return out.toString();
  }

  private static void recall(StringBuilder out, HnswRecallPhase.Result recall) {
    int k = HttpSearchPhase.LIMIT;
    out.append('\n');
    out.append(format("5 HNSW recall@%d against an exact scan, %d queries of phase 2 (%s)%n", k, recall.queries(),
      recall.settings()));
    out.append(format(RECALL_ROW, "searched", "memories", "ef_search", "recall@" + k, "by dist", "all " + k, "<" + k,
      "index p50", "p95", "exact p50", "p95"));
    for (HnswRecallPhase.Measure measure : List.of(recall.scoped(), recall.whole())) {
      boolean first = true;
      for (HnswRecallPhase.AtEfSearch at : measure.sweep()) {
        out.append(format(RECALL_ROW, first ? measure.scope() : "", first ? measure.memories() : "", at.efSearch(),
          format("%.3f", at.recall()), format("%.3f", at.distanceRecall()), at.allFound(), at.fewerThanK(),
          ms(at.latency().p50Ms()), ms(at.latency().p95Ms()), first ? ms(measure.exact().p50Ms()) : "",
          first ? ms(measure.exact().p95Ms()) : ""));
        first = false;
      }
    }
    out.append(format("    The first row of each is the store's setting. recall@%d: mean share of the exact top %d "
      + "that the index returned;%n    by dist: the same, counting any result no farther than the exact %dth (a tie "
      + "broken otherwise is no miss);%n    all %d: queries where it returned all of them; <%d: where it returned "
      + "fewer than %d (the store then scans exactly).%n    The index search runs with sorting off, so that the "
      + "planner cannot answer it with a scan and a sort; the plans:%n", k, k, k, k, k, k));
    for (HnswRecallPhase.Measure measure : List.of(recall.scoped(), recall.whole())) {
      out.append(format("    %s: %s%n", measure.scope(), measure.plan()));
      if (measure.storePlan() != null) {
        out.append(format("    %s, the store's own index statement: %s%n", measure.scope(), measure.storePlan()));
      }
    }
  }

  private static void row(StringBuilder out, String label, int count, double perSecond, LatencySummary latency) {
    out.append(format(ROW, label, count, format("%.1f", perSecond), ms(latency.meanMs()), ms(latency.p50Ms()),
      ms(latency.p95Ms()), ms(latency.p99Ms()), ms(latency.maxMs())));
  }

  /** Microseconds below 10 ms, where the direct figures live; tenths above. */
  private static String ms(double value) {
    return value < 10 ? format("%.3f", value) : format("%.1f", value);
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
