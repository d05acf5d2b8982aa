package dev.memgate.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Phase 1: loads the facts through {@code POST /memories} with {@code infer:false}, {@code messagesPerAdd} facts of
 * one user per request, {@code concurrency} requests in flight. Measures the wall time and each request's latency,
 * and remembers the id the service gave each fact.
 */
final class LoadPhase {
  private static final Logger LOG = LoggerFactory.getLogger(LoadPhase.class);

  /** What the load did; {@code idsByFact} maps {@link Fact#key()} to the stored memory's id. */
  record Result(long wallNanos, int requests, int memoriesSent, int memoriesAdded, LatencySummary requestLatency,
                Map<String, String> idsByFact) {

    double memoriesPerSecond() {
      return memoriesAdded / (wallNanos / 1e9);
    }

    JsonObject toJson(int concurrency, int messagesPerAdd) {
      return new JsonObject()
        .put("concurrency", concurrency)
        .put("messages_per_add", messagesPerAdd)
        .put("requests", requests)
        .put("memories_sent", memoriesSent)
        .put("memories_added", memoriesAdded)
        .put("wall_s", LatencySummary.round(wallNanos / 1e9))
        .put("memories_per_s", LatencySummary.round(memoriesPerSecond()))
        .put("request_latency_ms", requestLatency.toJson());
    }
  }

  private final ApiClient api;
  private final int concurrency;
  private final int messagesPerAdd;

  LoadPhase(ApiClient api, int concurrency, int messagesPerAdd) {
    this.api = api;
    this.concurrency = concurrency;
    this.messagesPerAdd = messagesPerAdd;
  }

  /** Runs the add path untimed (one throwaway user), then erases that user so the store holds only the corpus. */
  void warmUp(List<Fact> facts, String userId) {
    if (facts.isEmpty()) {
      return;
    }
    run("warmup-add", facts);
    api.delete("/memories?user_id=" + ApiClient.q(userId));
  }

  Result run(List<Fact> facts) {
    return run("add", facts);
  }

  private Result run(String name, List<Fact> facts) {
    List<List<Fact>> requests = requests(facts, messagesPerAdd);
    long[] latencies = new long[requests.size()];
    AtomicInteger added = new AtomicInteger();
    Map<String, String> ids = new ConcurrentHashMap<>();
    long wall = ConcurrentRunner.run(name, requests.size(), concurrency, index -> {
      List<Fact> batch = requests.get(index);
      JsonObject body = body(batch);
      long begin = System.nanoTime();
      JsonObject reply = api.post("/memories", body);
      latencies[index] = System.nanoTime() - begin;
      JsonArray results = reply.getJsonArray("results", new JsonArray());
      if (results.size() != batch.size()) {
        throw new BenchFailure("POST /memories answered " + results.size() + " results for " + batch.size()
          + " messages: " + reply.encode());
      }
      for (int i = 0; i < batch.size(); i++) {
        JsonObject result = results.getJsonObject(i);
        ids.put(batch.get(i).key(), result.getString("id"));
        if ("ADD".equals(result.getString("event"))) {
          added.incrementAndGet();
        }
      }
    });
    Result result = new Result(wall, requests.size(), facts.size(), added.get(), LatencySummary.of(latencies), ids);
    LOG.info("{}: {} memories in {} requests, {} ms", name, result.memoriesAdded(), result.requests(),
      wall / 1_000_000);
    return result;
  }

  private static JsonObject body(List<Fact> batch) {
    JsonArray messages = new JsonArray();
    batch.forEach(fact -> messages.add(new JsonObject().put("role", "user").put("content", fact.text())));
    return new JsonObject()
      .put("messages", messages)
      .put("user_id", batch.get(0).userId())
      .put("infer", false);
  }

  /**
   * Groups each user's facts into requests of at most {@code perRequest}, and deals them out one user at a time so
   * that every user's memories arrive throughout the load, as they would from many users at once.
   */
  static List<List<Fact>> requests(List<Fact> facts, int perRequest) {
    Map<String, Deque<List<Fact>>> byUser = new LinkedHashMap<>();
    Map<String, List<Fact>> open = new LinkedHashMap<>();
    for (Fact fact : facts) {
      List<Fact> current = open.computeIfAbsent(fact.userId(), u -> new ArrayList<>());
      current.add(fact);
      if (current.size() == perRequest) {
        byUser.computeIfAbsent(fact.userId(), u -> new ArrayDeque<>()).add(current);
        open.remove(fact.userId());
      }
    }
    open.forEach((user, rest) -> byUser.computeIfAbsent(user, u -> new ArrayDeque<>()).add(rest));
    List<List<Fact>> requests = new ArrayList<>();
    while (!byUser.isEmpty()) {
      Iterator<Deque<List<Fact>>> users = byUser.values().iterator();
      while (users.hasNext()) {
        Deque<List<Fact>> queue = users.next();
        requests.add(queue.poll());
        if (queue.isEmpty()) {
          users.remove();
        }
      }
    }
    return requests;
  }
}
