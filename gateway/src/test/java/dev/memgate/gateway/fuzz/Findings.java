package dev.memgate.gateway.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one fuzz run saw, kept thread-safe: per lane, the requests sent and their outcomes (status codes, JSON-RPC
 * codes); and every failed expectation, grouped by lane, problem and request shape so that a thousand failing
 * requests of one kind read as one finding, with its count and the first example.
 */
final class Findings {
  /** One distinct failure: where, what went wrong, for which kind of request, how often, and one example. */
  record Failure(String lane, String problem, String shape, long count, String request, String answer) {
  }

  private final String target;
  private final long seed;
  private final Map<String, AtomicLong> sent = new TreeMap<>();
  private final Map<String, Map<String, Long>> outcomes = new TreeMap<>();
  private final Map<String, Failure> failures = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, long[]> slow = new TreeMap<>();

  Findings(String target, long seed) {
    this.target = target;
    this.seed = seed;
  }

  synchronized void sent(String lane) {
    sent.computeIfAbsent(lane, k -> new AtomicLong()).incrementAndGet();
  }

  synchronized void outcome(String lane, String outcome) {
    outcomes.computeIfAbsent(lane, k -> new TreeMap<>()).merge(outcome, 1L, Long::sum);
  }

  synchronized void fail(String lane, String shape, String problem, String request, String answer) {
    String key = lane + "\u0000" + problem + "\u0000" + shape;
    Failure known = failures.get(key);
    failures.put(key, known == null
      ? new Failure(lane, problem, shape, 1, Excerpts.of(request, 400), Excerpts.of(answer, 400))
      : new Failure(lane, problem, shape, known.count() + 1, known.request(), known.answer()));
  }

  /** Failures of the checks made after the run (state, health, log), which belong to no request. */
  void failAfter(String check, String detail) {
    fail("after", check, check, "", detail);
  }

  /** How long a request of this shape took: the slowest shapes are listed in the summary. */
  synchronized void took(String lane, String shape, long millis) {
    long[] total = slow.computeIfAbsent(lane + " " + shape.replaceAll("\\d{3,}", "N"), k -> new long[2]);
    total[0] += millis;
    total[1]++;
  }

  synchronized void note(String note) {
    notes.add(note);
  }

  synchronized long total() {
    return sent.values().stream().mapToLong(AtomicLong::get).sum();
  }

  synchronized List<Failure> failures() {
    return new ArrayList<>(failures.values());
  }

  /** One line per lane: requests sent and outcomes. */
  synchronized String summary() {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, AtomicLong> lane : sent.entrySet()) {
      out.append("fuzz ").append(target).append(' ').append(lane.getKey()).append(": ").append(lane.getValue().get())
        .append(" requests; outcomes ").append(outcomes.getOrDefault(lane.getKey(), Map.of())).append('\n');
    }
    out.append("fuzz ").append(target).append(": ").append(total()).append(" requests, ")
      .append(failures.size()).append(" distinct failures (seed ").append(seed).append(")\n");
    notes.forEach(note -> out.append("  note: ").append(note).append('\n'));
    slow.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(8)
      .forEach(e -> out.append("  slowest: ").append(Excerpts.of(e.getKey(), 100)).append(" ")
        .append(e.getValue()[0]).append(" ms in ").append(e.getValue()[1]).append(" request(s)\n"));
    return out.toString();
  }

  /** Every distinct failure, most frequent problems first, for the assertion message. */
  synchronized String report(int maxPerProblem) {
    Map<String, List<Failure>> byProblem = new TreeMap<>();
    failures.values().forEach(f -> byProblem.computeIfAbsent(f.lane() + ": " + f.problem(),
      k -> new ArrayList<>()).add(f));
    StringBuilder out = new StringBuilder("fuzz " + target + " failed (seed " + seed
      + "; replay with -Dmemgate.fuzz.seed=" + seed + "):\n");
    byProblem.forEach((problem, list) -> {
      long count = list.stream().mapToLong(Failure::count).sum();
      out.append("* ").append(problem).append(" — ").append(count).append(" request(s), ").append(list.size())
        .append(" shape(s)\n");
      list.stream().sorted((a, b) -> Long.compare(b.count(), a.count())).limit(maxPerProblem).forEach(f -> {
        out.append("    - ").append(f.shape()).append(" (x").append(f.count()).append(")\n");
        if (!f.request().isEmpty()) {
          out.append("        request: ").append(f.request()).append('\n');
        }
        out.append("        answer:  ").append(f.answer()).append('\n');
      });
      if (list.size() > maxPerProblem) {
        out.append("    ... and ").append(list.size() - maxPerProblem).append(" more shapes\n");
      }
    });
    return out.toString();
  }
}
