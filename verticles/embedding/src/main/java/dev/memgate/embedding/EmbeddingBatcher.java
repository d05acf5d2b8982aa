package dev.memgate.embedding;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * Adaptive micro-batching: texts that arrive while the provider is busy wait, and the next call takes as many of
 * them as fit in one batch. Under load, batches grow and throughput rises; when idle, a text goes out at once.
 * Runs on the verticle's event loop.
 */
final class EmbeddingBatcher {
  private final EmbeddingProvider provider;
  private final int maxBatch;
  private final Queue<Pending> queue = new ArrayDeque<>();
  private int inFlight;
  private long calls;
  private long texts;

  EmbeddingBatcher(EmbeddingProvider provider, int maxBatch) {
    this.provider = provider;
    this.maxBatch = maxBatch;
  }

  /** Queues the texts of one request together, so that they go out in as few calls as possible. */
  List<Future<float[]>> submit(List<String> texts, EmbeddingProvider.Purpose purpose) {
    List<Future<float[]>> vectors = new ArrayList<>(texts.size());
    for (String text : texts) {
      Promise<float[]> promise = Promise.promise();
      queue.add(new Pending(text, purpose, promise));
      vectors.add(promise.future());
    }
    drain();
    return vectors;
  }

  private void drain() {
    while (inFlight < provider.maxConcurrentCalls() && !queue.isEmpty()) {
      EmbeddingProvider.Purpose purpose = queue.peek().purpose();
      List<Pending> batch = new ArrayList<>();
      // One purpose per call: some models prefix queries differently from documents.
      while (!queue.isEmpty() && batch.size() < maxBatch && queue.peek().purpose() == purpose) {
        batch.add(queue.poll());
      }
      inFlight++;
      calls++;
      texts += batch.size();
      provider.embed(batch.stream().map(Pending::text).toList(), purpose).onComplete(done -> {
        inFlight--;
        if (done.succeeded() && done.result().size() == batch.size()) {
          for (int i = 0; i < batch.size(); i++) {
            batch.get(i).promise().complete(done.result().get(i));
          }
        } else if (done.succeeded()) {
          IllegalStateException wrong = new IllegalStateException(
            provider.name() + " returned " + done.result().size() + " vectors for " + batch.size() + " texts");
          batch.forEach(p -> p.promise().fail(wrong));
        } else {
          batch.forEach(p -> p.promise().fail(done.cause()));
        }
        drain();
      });
    }
  }

  int queued() {
    return queue.size();
  }

  long calls() {
    return calls;
  }

  long texts() {
    return texts;
  }

  private record Pending(String text, EmbeddingProvider.Purpose purpose, Promise<float[]> promise) {
  }
}
