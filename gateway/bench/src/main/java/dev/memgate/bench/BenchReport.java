package dev.memgate.bench;

import dev.memgate.vector.MemoryStore;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Every figure of one run, and the comparisons drawn from them.
 *
 * @param searchSettings the store's search settings behind phase 4 (empty when there is nothing to say)
 * @param recall         phase 5, or null when the store has no index to check
 * @param storeWhere     where the memories were kept when not in the data directory (else null)
 */
record BenchReport(MachineInfo machine, BenchOptions options, MemoryStore.EmbeddingSpec embedding, int warmupAdds,
                   int warmupSearches, LoadPhase.Result load, HttpSearchPhase.Sequential httpSequential,
                   HttpSearchPhase.Concurrent httpConcurrent, DirectSearchPhase.Result direct,
                   String searchSettings, HnswRecallPhase.Result recall, Path dataDir, boolean dataKept,
                   String storeWhere) {

  /** Searches whose first result was the same memory through HTTP and directly. */
  int top1Agreeing() {
    String[] http = httpSequential.topIds();
    String[] straight = direct.topIds();
    int same = 0;
    for (int i = 0; i < http.length; i++) {
      if (Objects.equals(http[i], straight[i])) {
        same++;
      }
    }
    return same;
  }

  double httpOverDirectP50() {
    return httpSequential.latency().p50Ms() / direct.latency().p50Ms();
  }

  double httpOverDirectP95() {
    return httpSequential.latency().p95Ms() / direct.latency().p95Ms();
  }

  /** The query embedding alone, timed right after each search of phase 2. */
  LatencySummary queryEmbedding() {
    return httpSequential.embedding();
  }

  /**
   * Median over the searches of phase 2 of (HTTP latency - the same query's embedding alone): what a search costs
   * beyond the model, that is the store search plus HTTP, contract validation, the bus hops and JSON.
   */
  double httpMinusEmbeddingP50Ms() {
    return httpSequential.httpMinusEmbeddingP50Ms();
  }

  JsonObject toJson() {
    int searches = httpSequential.latency().count();
    JsonObject json = new JsonObject()
      .put("machine", machine.toJson())
      .put("workload", new JsonObject()
        .put("store", options.store())
        .put("memories", options.memories())
        .put("users", options.users())
        .put("searches", options.searches())
        .put("concurrency", options.concurrency())
        .put("messages_per_add", options.messagesPerAdd())
        .put("search_limit", HttpSearchPhase.LIMIT)
        .put("seed", options.seed())
        .put("embedding_model", embedding.model())
        .put("embedding_dimension", embedding.dimension())
        .put("data_dir", dataKept ? dataDir.toAbsolutePath().toString() : null)
        .put("store_location", storeWhere)
        .put("search_settings", searchSettings.isEmpty() ? null : searchSettings))
      .put("warmup", new JsonObject().put("adds", warmupAdds).put("searches_per_path", warmupSearches))
      .put("load", load.toJson(options.concurrency(), options.messagesPerAdd()))
      .put("search_http_sequential", httpSequential.toJson())
      .put("search_http_concurrent", httpConcurrent.toJson())
      .put("search_direct", direct.toJson())
      .put("query_embedding", new JsonObject()
        .put("embeddings", queryEmbedding().count())
        .put("timed", "in process, right after each search of search_http_sequential")
        .put("latency_ms", queryEmbedding().toJson()))
      .put("comparison", new JsonObject()
        .put("http_over_direct_p50", LatencySummary.round(httpOverDirectP50()))
        .put("http_over_direct_p95", LatencySummary.round(httpOverDirectP95()))
        .put("http_minus_embedding_p50_ms", LatencySummary.round(httpMinusEmbeddingP50Ms()))
        .put("top1_agreeing", top1Agreeing())
        .put("top1_agreement", LatencySummary.round((double) top1Agreeing() / searches)));
    if (recall != null) {
      json.put("hnsw_recall", recall.toJson());
    }
    return json;
  }
}
