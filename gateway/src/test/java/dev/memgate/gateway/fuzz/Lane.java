package dev.memgate.gateway.fuzz;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One transport's share of a fuzz run: {@code quota} requests, numbered from 0, taken by {@code workers} threads
 * (each with its own connections), so that at most that many are in flight on this transport at once.
 */
abstract class Lane {
  /** One thread's connections and what it does with request number {@code index}. */
  interface Worker extends AutoCloseable {
    void run(int index);

    @Override
    default void close() {
    }
  }

  final FuzzRun run;
  final String name;
  final int quota;
  final int workers;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final long started = System.nanoTime();
  private volatile long finished;

  Lane(FuzzRun run, String name, int quota, int workers) {
    this.run = run;
    this.name = name;
    this.quota = quota;
    this.workers = workers;
  }

  abstract Worker worker();

  /** Work that must happen before the workers start (a handshake the lane's whole life depends on). */
  void prepare() {
  }

  List<Thread> start() {
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      threads.add(Thread.ofVirtual().name("fuzz-" + name + "-" + w).start(this::work));
    }
    return threads;
  }

  private void work() {
    running.incrementAndGet();
    try (Worker worker = worker()) {
      int index;
      while ((index = next.getAndIncrement()) < quota) {
        try {
          worker.run(index);
        } catch (RuntimeException | AssertionError e) {
          fuzzerFailed(index, e);
        }
      }
    } catch (RuntimeException e) {
      fuzzerFailed(-1, e);
    } finally {
      if (running.decrementAndGet() == 0) {
        finished = System.nanoTime();
      }
    }
  }

  /** Seconds from the lane's creation to its last worker's end. */
  double seconds() {
    return ((finished == 0 ? System.nanoTime() : finished) - started) / 1e9;
  }

  private void fuzzerFailed(int index, Throwable e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    run.findings.fail(name, "request " + index, "the fuzzer could not send a request: " + e, "",
      trace.toString().replace('\t', ' '));
  }

  void fail(String shape, String problem, String request, String answer) {
    run.findings.fail(name, shape, problem, request, answer);
  }

  /**
   * Checks what a two-way transport sent back for one fuzzed message: every reply by the oracle, a write that must
   * be refused not succeeding (judged by the replies that carry the message's ids, since a late reply to an earlier
   * message may arrive in between), a ping still answered, a well-formed request answered. Returns false when the
   * channel is gone or stuck and must be opened again.
   */
  boolean judge(String shape, byte[] message, HttpCase.Aim aim, Conversation.Result result) {
    String request = new String(message, java.nio.charset.StandardCharsets.UTF_8);
    java.util.Set<String> ids = Conversation.ids(message);
    if (result.replies().isEmpty()) {
      run.findings.outcome(name, "no-reply");
    }
    for (String reply : result.replies()) {
      run.findings.outcome(name, Oracle.outcome(reply));
      for (String problem : Oracle.jsonRpc(reply, run.territory.leakMarkers())) {
        fail(shape, problem, request, reply);
      }
      if (aim == HttpCase.Aim.PROTECTED && Conversation.toolSucceeded(reply, ids)) {
        fail(shape, "accepted a write that breaks a rule", request, reply);
      }
    }
    if (result.ended() != null) {
      fail(shape, "the server ended the channel (" + result.ended() + ") after a message under the size limit",
        request, String.join("\n", result.replies()));
      return false;
    }
    if (!result.probeAnswered()) {
      fail(shape, "stopped answering: no reply to the ping that followed within " + FuzzRun.TIMEOUT_MS / 1000
        + " s", request, String.join("\n", result.replies()));
      return false;
    }
    if (result.expectedMissing()) {
      fail(shape, "no reply to a well-formed request", request, String.join("\n", result.replies()));
    }
    return true;
  }
}
