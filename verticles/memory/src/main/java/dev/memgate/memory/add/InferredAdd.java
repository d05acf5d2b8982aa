package dev.memgate.memory.add;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.EmbeddingBus;
import dev.memgate.contract.Fields;
import dev.memgate.contract.GraphBus;
import dev.memgate.contract.Timestamps;
import dev.memgate.contract.VectorBus;
import dev.memgate.memory.Expiry;
import dev.memgate.memory.GraphLink;
import dev.memgate.memory.TextHash;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * mem0's classic {@code infer:true}, made safe. At most two LLM calls and two embedding requests per add:
 * <ol>
 *   <li>extract facts from the conversation (LLM call 1);</li>
 *   <li>embed all facts in one request, and find each fact's most similar memories in the same scope;</li>
 *   <li>when there are any, decide per fact ADD / UPDATE / DELETE / NONE (LLM call 2) under small integer ids,
 *   mapped back and repaired by {@link DecisionPlan}; when there are none, every fact is simply added;</li>
 *   <li>embed the new texts in one request and apply every change in ONE atomic store operation, with history.</li>
 * </ol>
 * Steps 2 to 4 run under the scope's lock ({@link ScopeLocks}). Nothing is written until every LLM call has
 * succeeded, so a failing LLM leaves the store untouched. The reply says why when nothing was remembered.
 *
 * <p>With graph memory on, the graph's own LLM work (entity and relation extraction, then which stored relations
 * the text contradicts) starts at once beside step 1 and runs concurrently with the whole fact pipeline; the two
 * join before anything is written. The graph commit then follows the vector commit (a few milliseconds), with the
 * ids of the memories written, so that a refused vector write never leaves graph data behind. The reply adds
 * {@code graph} (ok, pending, off) and {@code relations:{added, invalidated}}.
 */
public final class InferredAdd implements AddPipeline {
  private final BusClient bus;
  private final LlmCalls llm;
  private final ScopeLocks locks;
  private final InferenceConfig config;
  private final int maxTextChars;
  private final AddStats stats;
  private final GraphLink graph;

  public InferredAdd(Vertx vertx, BusClient bus, InferenceConfig config, int maxTextChars, AddStats stats,
                     GraphLink graph) {
    this.bus = bus;
    this.llm = new LlmCalls(bus, config.llmTimeoutMs());
    this.locks = new ScopeLocks(vertx, config.scopeWaitMs());
    this.config = config;
    this.maxTextChars = maxTextChars;
    this.stats = stats;
    this.graph = graph;
  }

  @Override
  public Future<JsonObject> add(AddRequest request) {
    Usage usage = new Usage();
    Future<JsonObject> graphPlan = graph.prepare(request.scope(),
      FactExtraction.transcript(request.conversation()), Timestamps.now());
    if (graphPlan != null) {
      // Joined before any write; until then a failure must not go unobserved.
      graphPlan.onFailure(err -> { });
    }
    return llm.chat(FactExtraction.request(request, config.prompts(), Prompts.today()), usage)
      .compose(extracted -> {
        List<String> facts = FactExtraction.read(extracted, maxTextChars);
        if (facts.isEmpty()) {
          String about = FactExtraction.aboutAgent(request) ? "the agent" : "the user";
          return withGraph(request, graphPlan, usage, () -> Future.succeededFuture(new JsonArray()))
            .map(done -> {
              stats.succeeded(usage, 0, 0);
              return reply(done.results(), usage, "the conversation holds no fact about " + about
                + " worth remembering").mergeIn(done.graph());
            });
        }
        return locks.withLock(request.scope(), () -> reconcile(request, facts, usage, graphPlan));
      })
      .onFailure(err -> stats.failed(usage));
  }

  /** What the vector side wrote (mem0's results) and what the graph side says (graph, relations). */
  private record Written(JsonArray results, JsonObject graph) {
  }

  /**
   * Waits for the graph's preparation (its LLM calls), then writes the vector side, then commits the graph side
   * with the memories written. Without graph memory, only the vector side.
   */
  private Future<Written> withGraph(AddRequest request, Future<JsonObject> graphPlan, Usage usage,
                                    java.util.function.Supplier<Future<JsonArray>> vectorWrite) {
    if (graphPlan == null) {
      return vectorWrite.get().map(results -> new Written(results, graph.untouched()));
    }
    return graphPlan.compose(prepared -> {
      usage.countGraph(prepared.getJsonObject(GraphBus.USAGE));
      return vectorWrite.get().compose(results -> {
        JsonArray memories = new JsonArray();
        for (Object raw : results) {
          JsonObject result = (JsonObject) raw;
          if (!"DELETE".equals(result.getString(Fields.EVENT))) {
            memories.add(new JsonObject().put(Fields.ID, result.getString(Fields.ID))
              .put(Fields.MEMORY, result.getString(Fields.MEMORY)));
          }
        }
        return graph.commit(request.scope(), prepared.getJsonObject(GraphBus.PLAN), memories)
          .map(committed -> new Written(results, committed));
      });
    });
  }

  private Future<JsonObject> reconcile(AddRequest request, List<String> facts, Usage usage,
                                       Future<JsonObject> graphPlan) {
    Map<String, JsonArray> vectors = new HashMap<>();
    return embed(facts, vectors)
      .compose(v -> similar(request, facts, vectors))
      .compose(existing -> existing.isEmpty()
        ? Future.succeededFuture(DecisionPlan.allNew(facts))
        : llm.chat(DecisionPlan.request(existing, facts, config.prompts()), usage)
          .map(decided -> DecisionPlan.plan(decided, existing, facts, maxTextChars)))
      .compose(plan -> {
        List<String> texts = plan.changes().stream().filter(c -> c.text() != null).map(DecisionPlan.Planned::text)
          .toList();
        return embed(texts, vectors)
          .compose(v -> withGraph(request, graphPlan, usage, () -> apply(request, plan, vectors)))
          .map(done -> {
            JsonArray results = done.results();
            stats.succeeded(usage, facts.size(), plan.repairs());
            String reason = results.isEmpty()
              ? (facts.size() == 1 ? "the fact extracted is" : "all " + facts.size() + " facts extracted are")
                + " already known: nothing changed"
              : null;
            return reply(results, usage, reason).mergeIn(done.graph());
          });
      });
  }

  /** Embeds, in one request, the texts that have no vector yet. */
  private Future<Void> embed(List<String> texts, Map<String, JsonArray> vectors) {
    List<String> missing = texts.stream().filter(t -> !vectors.containsKey(t)).distinct().toList();
    if (missing.isEmpty()) {
      return Future.succeededFuture();
    }
    JsonObject request = new JsonObject().put(EmbeddingBus.TEXTS, new JsonArray(new ArrayList<>(missing)))
      .put(EmbeddingBus.PURPOSE, EmbeddingBus.PURPOSE_DOCUMENT);
    return bus.request(EmbeddingBus.EMBED, request, EmbeddingBus.TIMEOUT_MS).map(reply -> {
      JsonArray result = reply.getJsonArray(EmbeddingBus.VECTORS);
      for (int i = 0; i < missing.size(); i++) {
        vectors.put(missing.get(i), result.getJsonArray(i));
      }
      return null;
    });
  }

  /**
   * Each fact's nearest memories in the scope, merged, nearest first, at most {@code max_candidates}. Expired
   * memories are not candidates: a fact merged into one would be hidden with it. An app that reaches only its own
   * memories has only those as candidates: the model never sees, and the add never changes, another app's.
   */
  private Future<List<DecisionPlan.Existing>> similar(AddRequest request, List<String> facts,
                                                      Map<String, JsonArray> vectors) {
    JsonObject ownOnly = request.onlyApp() == null ? null
      : new JsonObject().put(Fields.APP_ID, request.onlyApp());
    List<Future<JsonObject>> searches = new ArrayList<>(facts.size());
    for (String fact : facts) {
      searches.add(bus.request(VectorBus.SEARCH, new JsonObject()
        .put(VectorBus.SCOPE, request.scope().toJson())
        .put(Fields.FILTERS, ownOnly)
        .put(VectorBus.VECTOR, vectors.get(fact))
        .put(Fields.LIMIT, config.candidatesPerFact())
        .put(VectorBus.UNEXPIRED_ON, Expiry.today())
        .put("mode", "vector"), VectorBus.TIMEOUT_MS));
    }
    return Future.all(searches).map(all -> {
      Map<String, JsonObject> best = new LinkedHashMap<>();
      for (int i = 0; i < all.size(); i++) {
        JsonObject found = all.resultAt(i);
        for (Object hit : found.getJsonArray(Fields.RESULTS)) {
          JsonObject item = (JsonObject) hit;
          best.merge(item.getString(Fields.ID), item,
            (a, b) -> a.getDouble(Fields.SCORE) >= b.getDouble(Fields.SCORE) ? a : b);
        }
      }
      return best.values().stream()
        .sorted((a, b) -> Double.compare(b.getDouble(Fields.SCORE), a.getDouble(Fields.SCORE)))
        .limit(config.maxCandidates())
        .map(item -> new DecisionPlan.Existing(item.getString(Fields.ID), item.getString(Fields.MEMORY)))
        .toList();
    });
  }

  private Future<JsonArray> apply(AddRequest request, DecisionPlan.Result plan, Map<String, JsonArray> vectors) {
    if (plan.changes().isEmpty()) {
      return Future.succeededFuture(new JsonArray());
    }
    String now = Timestamps.now();
    // New memories date from the add's timestamp when it gives one (an imported conversation); changes from now.
    String createdAt = request.createdAt() != null ? request.createdAt() : now;
    JsonObject metadata = request.metadata() == null ? new JsonObject() : request.metadata();
    JsonArray changes = new JsonArray();
    for (DecisionPlan.Planned planned : plan.changes()) {
      switch (planned.event()) {
        case "ADD" -> changes.add(new JsonObject().put(Fields.EVENT, "ADD").put(VectorBus.RECORD, new JsonObject()
          .put(Fields.ID, UUID.randomUUID().toString())
          .put(Fields.MEMORY, planned.text())
          .put(Fields.HASH, TextHash.md5(planned.text()))
          .put(Fields.METADATA, metadata.copy())
          .put(Fields.CREATED_AT, createdAt)
          .put(Fields.UPDATED_AT, createdAt)
          .put(VectorBus.VECTOR, vectors.get(planned.text()))
          .mergeIn(request.scope().toJson())));
        case "UPDATE" -> {
          JsonObject update = new JsonObject().put(Fields.EVENT, "UPDATE")
            .put(Fields.MEMORY_ID, planned.memoryId())
            .put(Fields.TEXT, planned.text())
            .put(Fields.HASH, TextHash.md5(planned.text()))
            .put(VectorBus.VECTOR, vectors.get(planned.text()))
            .put(Fields.UPDATED_AT, now);
          // The memory keeps the app that added it: an update through another app does not make it that app's.
          JsonObject changed = metadata.copy();
          changed.remove(Fields.APP_ID);
          if (!changed.isEmpty()) {
            update.put(Fields.METADATA, changed);
          }
          changes.add(update);
        }
        case "DELETE" -> changes.add(new JsonObject().put(Fields.EVENT, "DELETE")
          .put(Fields.MEMORY_ID, planned.memoryId()).put(VectorBus.AT, now));
        default -> throw new IllegalStateException(planned.event());
      }
    }
    return bus.request(VectorBus.APPLY, new JsonObject().put(VectorBus.SCOPE, request.scope().toJson())
      .put(VectorBus.CHANGES, changes), VectorBus.TIMEOUT_MS).map(applied -> {
        JsonArray results = new JsonArray();
        for (Object raw : applied.getJsonArray(Fields.RESULTS)) {
          JsonObject outcome = (JsonObject) raw;
          String event = outcome.getString(Fields.EVENT);
          stats.event(event);
          if ("NONE".equals(event)) {
            continue;
          }
          JsonObject memory = outcome.getJsonObject(Fields.MEMORY);
          JsonObject result = new JsonObject()
            .put(Fields.ID, memory.getString(Fields.ID))
            .put(Fields.MEMORY, memory.getString(Fields.MEMORY))
            .put(Fields.EVENT, event);
          if ("UPDATE".equals(event)) {
            result.put(Fields.PREVIOUS_MEMORY, outcome.getString(Fields.PREVIOUS_MEMORY));
          }
          results.add(result);
        }
        return results;
      });
  }

  static JsonObject reply(JsonArray results, Usage usage, String reason) {
    JsonObject reply = new JsonObject()
      .put(Fields.RESULTS, results)
      .put(Fields.INFERRED, true)
      .put("usage", usage.toJson());
    if (reason != null) {
      reply.put("reason", reason);
    }
    return reply;
  }
}
