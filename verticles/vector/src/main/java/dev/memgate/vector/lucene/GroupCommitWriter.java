package dev.memgate.vector.lucene;

import dev.memgate.contract.BusFailure;
import dev.memgate.contract.BusFailureException;
import dev.memgate.vector.MemoryRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The single writer of the index. Write operations queue up; the writer thread takes everything queued, applies it,
 * makes it durable with one commit (fsync), refreshes the searchers, and only then answers every operation of the
 * batch. One fsync is shared by all concurrent writers (group commit); nothing is acknowledged before it is on disk.
 */
final class GroupCommitWriter {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final int MAX_BATCH = 512;

  /** A write: it must check everything before its first change, so that a refusal never leaves half a write. */
  interface Operation<T> {
    T apply(WriteBatch batch) throws Exception;
  }

  private record Task<T>(Operation<T> operation, Promise<T> promise, Context context) {
  }

  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final WriteBatch.Reader reader;
  private final Function<MemoryRecord, Document> documents;
  private final LinkedBlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong operations = new AtomicLong();
  private volatile boolean running = true;
  private volatile String brokenReason;
  private volatile long lastCommitMicros;

  GroupCommitWriter(IndexWriter writer, SearcherManager searchers, WriteBatch.Reader reader,
                    Function<MemoryRecord, Document> documents) {
    this.writer = writer;
    this.searchers = searchers;
    this.reader = reader;
    this.documents = documents;
    this.thread = new Thread(this::run, "memgate-lucene-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  <T> Future<T> submit(Context context, Operation<T> operation) {
    if (brokenReason != null) {
      return Future.failedFuture(BusFailure.unavailable("vector:lucene", brokenReason).toException());
    }
    if (!running) {
      return Future.failedFuture(BusFailure.unavailable("vector:lucene", "the store is closing").toException());
    }
    Promise<T> promise = Promise.promise();
    queue.add(new Task<>(operation, promise, context));
    return promise.future();
  }

  private void run() {
    List<Task<?>> tasks = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Task<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        tasks.clear();
        tasks.add(first);
        queue.drainTo(tasks, MAX_BATCH - 1);
        runBatch(tasks);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void runBatch(List<Task<?>> tasks) {
    Object[] results = new Object[tasks.size()];
    Throwable[] failures = new Throwable[tasks.size()];
    IndexSearcher committed;
    try {
      committed = searchers.acquire();
    } catch (Exception e) {
      failAll(tasks, e);
      return;
    }
    try {
      WriteBatch batch = new WriteBatch(writer, committed, reader, documents);
      for (int i = 0; i < tasks.size(); i++) {
        if (brokenReason != null) {
          failures[i] = BusFailure.unavailable("vector:lucene", brokenReason).toException();
          continue;
        }
        try {
          results[i] = tasks.get(i).operation().apply(batch);
        } catch (BusFailureException refused) {
          failures[i] = refused;
        } catch (Exception e) {
          // A failure inside IndexWriter may leave a half-applied change behind: stop writing rather than commit it.
          LOG.error("write failed; the store stops accepting writes", e);
          brokenReason = "the store failed to write (" + e.getMessage() + "); restart Memgate after fixing the cause";
          failures[i] = BusFailure.unavailable("vector:lucene", brokenReason).toException();
        }
      }
      if (brokenReason != null) {
        failAll(tasks, BusFailure.unavailable("vector:lucene", brokenReason).toException());
        return;
      }
      if (batch.dirty()) {
        long started = System.nanoTime();
        writer.commit();
        searchers.maybeRefreshBlocking();
        lastCommitMicros = (System.nanoTime() - started) / 1_000;
        commits.incrementAndGet();
      }
      operations.addAndGet(tasks.size());
    } catch (Exception commitFailed) {
      LOG.error("commit failed; the store stops accepting writes", commitFailed);
      brokenReason = "the store could not commit to disk (" + commitFailed.getMessage() + ")";
      failAll(tasks, BusFailure.unavailable("vector:lucene", brokenReason).toException());
      return;
    } finally {
      try {
        searchers.release(committed);
      } catch (Exception e) {
        LOG.warn("could not release a searcher", e);
      }
    }
    for (int i = 0; i < tasks.size(); i++) {
      complete(tasks.get(i), results[i], failures[i]);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Task<T> task, Object result, Throwable failure) {
    task.context().runOnContext(v -> {
      if (failure == null) {
        task.promise().complete((T) result);
      } else {
        task.promise().fail(failure);
      }
    });
  }

  private static void failAll(List<Task<?>> tasks, Throwable failure) {
    tasks.forEach(task -> complete(task, null, failure));
  }

  int queued() {
    return queue.size();
  }

  long commits() {
    return commits.get();
  }

  long operations() {
    return operations.get();
  }

  long lastCommitMicros() {
    return lastCommitMicros;
  }

  String brokenReason() {
    return brokenReason;
  }

  /** Finishes what is queued, then stops. */
  void close() throws InterruptedException {
    running = false;
    thread.join(30_000);
  }
}
