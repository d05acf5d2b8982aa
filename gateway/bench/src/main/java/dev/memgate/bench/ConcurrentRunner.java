package dev.memgate.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs numbered operations on a fixed number of client threads, each taking the next number when its previous
 * operation is done: at most {@code concurrency} operations are ever in flight. The first failure stops every thread
 * and is thrown once all have stopped.
 */
final class ConcurrentRunner {

  /** One operation; the index says which. */
  interface Operation {
    void run(int index) throws Exception;
  }

  private ConcurrentRunner() {
  }

  /** Runs operations 0..count-1 and returns the wall time in nanoseconds. */
  static long run(String name, int count, int concurrency, Operation operation) {
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable worker = () -> {
      int index;
      while (failure.get() == null && (index = next.getAndIncrement()) < count) {
        try {
          operation.run(index);
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }
    };
    int threads = Math.max(1, Math.min(concurrency, count));
    List<Thread> started = new ArrayList<>(threads);
    long begin = System.nanoTime();
    for (int i = 0; i < threads; i++) {
      started.add(Thread.ofPlatform().daemon(true).name("bench-" + name + "-" + i).start(worker));
    }
    try {
      for (Thread thread : started) {
        thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      started.forEach(Thread::interrupt);
      throw new BenchFailure(name + ": interrupted");
    }
    long wall = System.nanoTime() - begin;
    Throwable cause = failure.get();
    if (cause instanceof BenchFailure known) {
      throw known;
    }
    if (cause != null) {
      throw new BenchFailure(name + ": " + cause, cause);
    }
    return wall;
  }
}
