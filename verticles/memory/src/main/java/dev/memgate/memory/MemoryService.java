package dev.memgate.memory;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.Dates;
import dev.memgate.contract.EmbeddingBus;
import dev.memgate.contract.Fields;
import dev.memgate.contract.GraphBus;
import dev.memgate.contract.Scope;
import dev.memgate.contract.SearchableText;
import dev.memgate.contract.Timestamps;
import dev.memgate.contract.VectorBus;
import dev.memgate.memory.access.CallerGuard;
import dev.memgate.memory.add.AddPipeline;
import dev.memgate.memory.add.AddRequest;
import dev.memgate.memory.add.AddStats;
import dev.memgate.memory.add.ProceduralAdd;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Set;

/**
 * The memory operations behind every edge. Each one validates its whole request first (so a refusal never writes
 * anything), then calls the embedding and vector services over the bus.
 */
public final class MemoryService {
  private static final Set<String> SEARCH_MODES = Set.of("vector", "keyword", "hybrid");

  private final BusClient bus;
  private final RequestRules rules;
  private final AddPipeline verbatim;
  /** Null while no LLM is configured. */
  private final AddPipeline inference;
  /** Null while no LLM is configured. */
  private final AddPipeline procedural;
  private final AddStats inferenceStats;
  private final String llmProvider;
  private final String defaultSearchMode;
  private final GraphLink graph;

  /**
   * @param inference  the LLM pipeline, or null without an LLM
   * @param procedural procedural memory, or null without an LLM
   */
  public MemoryService(BusClient bus, RequestRules rules, AddPipeline verbatim, AddPipeline inference,
                       AddPipeline procedural, AddStats inferenceStats, String llmProvider, String defaultSearchMode,
                       GraphLink graph) {
    this.bus = bus;
    this.rules = rules;
    this.verbatim = verbatim;
    this.inference = inference;
    this.procedural = procedural;
    this.inferenceStats = inferenceStats;
    this.llmProvider = llmProvider;
    this.defaultSearchMode = defaultSearchMode;
    this.graph = graph;
  }

  public Future<JsonObject> add(JsonObject body) {
    Scope scope = rules.requireScope(body);
    var messages = rules.messages(body.getValue(Fields.MESSAGES));
    JsonObject metadata = Expiry.stored(rules.metadata(body.getValue(Fields.METADATA), false),
      Expiry.date(body.getValue(Fields.EXPIRATION_DATE)));
    boolean infer = flag(body, Fields.INFER, true);
    Object rawType = body.getValue("memory_type");
    if (rawType != null && !ProceduralAdd.MEMORY_TYPE.equals(rawType)) {
      throw RequestRules.bad("memory_type", "memory_type can only be \"procedural_memory\"");
    }
    String memoryType = (String) rawType;
    Object prompt = body.getValue("prompt");
    if (prompt != null && !(prompt instanceof String)) {
      throw RequestRules.bad("prompt", "prompt must be a string");
    }
    if (memoryType != null && scope.agentId() == null) {
      throw RequestRules.bad(Fields.AGENT_ID, "procedural memory belongs to an agent: agent_id is required");
    }
    String createdAt = rules.timestamp(body.getValue(Fields.TIMESTAMP));
    AddRequest request = new AddRequest(scope, messages, metadata, infer, memoryType, (String) prompt, createdAt,
      body.getString(CallerGuard.ONLY_APP));
    if (request.conversation().isEmpty()) {
      throw new BusFailure(dev.memgate.contract.BusError.UNPROCESSABLE,
        "messages holds only system messages: there is nothing to remember", Fields.MESSAGES, null).toException();
    }
    if (memoryType != null) {
      if (procedural == null) {
        throw new BusFailure(dev.memgate.contract.BusError.UNPROCESSABLE, "procedural memory is written by an LLM, "
          + "and none is configured (llm.provider = none)", "memory_type", null).toException();
      }
      // Like mem0: a procedural memory is always a summary, whatever infer says.
      return procedural.add(request);
    }
    if (infer && inference != null) {
      return inference.add(request);
    }
    return verbatim.add(request).map(reply -> {
      reply.put(Fields.INFERRED, false);
      if (infer) {
        reply.put("reason", "no LLM is configured (llm.provider = none): messages were stored verbatim");
      }
      return reply;
    });
  }

  private static boolean flag(JsonObject body, String field, boolean fallback) {
    Object value = body.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (value instanceof String text && (text.equals("true") || text.equals("false"))) {
      return Boolean.parseBoolean(text); // a query parameter
    }
    if (!(value instanceof Boolean b)) {
      throw RequestRules.bad(field, field + " must be true or false");
    }
    return b;
  }

  public Future<JsonObject> search(JsonObject body) {
    String query = rules.query(body.getValue(Fields.QUERY));
    JsonObject filters = filters(body);
    Scope scope = scopeOrFromFilters(body, filters);
    String unexpiredOn = flag(body, Fields.SHOW_EXPIRED, false) ? null : Expiry.today();
    int limit = rules.limit(body, rules.limits().defaultSearchLimit());
    Double threshold = rules.threshold(body.getValue(Fields.THRESHOLD));
    String mode = searchMode(body.getValue(Fields.MODE));
    boolean explain = flag(body, Fields.EXPLAIN, false);
    String asOf = asOf(body.getValue(GraphBus.AS_OF));
    boolean includeInvalidated = flag(body, GraphBus.INCLUDE_INVALIDATED, false);
    JsonObject embed = new JsonObject().put(EmbeddingBus.TEXTS, new JsonArray().add(query))
      .put(EmbeddingBus.PURPOSE, EmbeddingBus.PURPOSE_QUERY);
    // The scale comes with the query vector, from the model that made it; keyword mode has neither.
    Future<JsonObject> embedded = "keyword".equals(mode)
      ? Future.succeededFuture(null)
      : bus.request(EmbeddingBus.EMBED, embed, EmbeddingBus.TIMEOUT_MS);
    Future<JsonObject> relations = graph.search(scope, query, asOf, includeInvalidated);
    return withRelations(relations, embedded.compose(reply -> {
      JsonArray v = reply == null ? null : reply.getJsonArray(EmbeddingBus.VECTORS).getJsonArray(0);
      SimilarityScale similarity = new SimilarityScale(reply == null ? 0.0
        : reply.getDouble(EmbeddingBus.SEARCH_BASELINE, 0.0));
      JsonObject request = new JsonObject()
        .put(VectorBus.SCOPE, scope.toJson())
        .put(Fields.QUERY, query)
        .put(Fields.FILTERS, filters)
        .put(VectorBus.UNEXPIRED_ON, unexpiredOn)
        .put(Fields.LIMIT, limit)
        .put(Fields.THRESHOLD, threshold == null || threshold <= 0 ? null : similarity.toRaw(threshold))
        .put(Fields.MODE, mode)
        .put(Fields.EXPLAIN, explain);
      if (v != null) {
        request.put(VectorBus.VECTOR, v);
      }
      return bus.request(VectorBus.SEARCH, request, VectorBus.TIMEOUT_MS)
        .map(found -> Expiry.shownIn(relativeScores(found, "vector".equals(mode), similarity)));
    }));
  }

  /**
   * Similarities on the model-independent scale: the score in vector mode, and the {@code vector} part that
   * {@code explain} shows in every mode (which keeps the raw value as {@code cosine}). Relative 0 covers everything
   * at or below the model's baseline, so a threshold of 0 or less keeps every result.
   */
  private static JsonObject relativeScores(JsonObject reply, boolean scoreIsSimilarity, SimilarityScale similarity) {
    JsonArray results = reply.getJsonArray(Fields.RESULTS, new JsonArray());
    for (int i = 0; i < results.size(); i++) {
      JsonObject item = results.getJsonObject(i);
      Double cosine = item.getDouble(Fields.SCORE);
      if (scoreIsSimilarity && cosine != null) {
        item.put(Fields.SCORE, similarity.toRelative(cosine));
      }
      JsonObject details = item.getJsonObject(Fields.SCORE_DETAILS);
      if (details != null && details.getDouble("vector") != null) {
        double raw = details.getDouble("vector");
        details.put("vector", similarity.toRelative(raw)).put("cosine", raw);
      }
    }
    return reply;
  }

  /** The graph lookup runs beside the vector search; its relations join the reply (mem0's "relations"). */
  private static Future<JsonObject> withRelations(Future<JsonObject> relations, Future<JsonObject> reply) {
    return Future.all(reply, relations).map(both -> reply.result().mergeIn(relations.result()));
  }

  /** {@code as_of}: a date or timestamp; relations valid at the end of the day (month, year) it names. */
  private static String asOf(Object raw) {
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof String text) || Dates.end(text) == null) {
      throw RequestRules.bad(GraphBus.AS_OF, "as_of must be an ISO date (2024-05-01) or timestamp "
        + "(2024-05-01T12:00:00Z)");
    }
    return text.strip();
  }

  private String searchMode(Object raw) {
    if (raw == null) {
      return defaultSearchMode;
    }
    if (!(raw instanceof String text) || !SEARCH_MODES.contains(text.toLowerCase(Locale.ROOT))) {
      throw RequestRules.bad(Fields.MODE, "mode must be one of " + String.join(", ", SEARCH_MODES.stream().sorted()
        .toList()));
    }
    return text.toLowerCase(Locale.ROOT);
  }

  private static JsonObject filters(JsonObject body) {
    Object raw = body.getValue(Fields.FILTERS);
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof JsonObject filters)) {
      throw RequestRules.bad(Fields.FILTERS, "filters must be an object");
    }
    return filters;
  }

  /**
   * The scope comes from the top-level ids (mem0's classic API) or, when none is given, from plain equality on
   * the ids inside {@code filters} (mem0's newer API).
   */
  private Scope scopeOrFromFilters(JsonObject body, JsonObject filters) {
    Scope scope = rules.optionalScope(body);
    if (scope.isEmpty() && filters != null) {
      JsonObject ids = new JsonObject();
      for (String field : new String[] {Fields.USER_ID, Fields.AGENT_ID, Fields.RUN_ID}) {
        if (filters.getValue(field) instanceof String id) {
          ids.put(field, id);
        }
      }
      scope = rules.optionalScope(ids);
    }
    if (scope.isEmpty()) {
      throw RequestRules.bad(Fields.USER_ID, "one of user_id, agent_id or run_id is required");
    }
    return scope;
  }

  public Future<JsonObject> get(JsonObject body) {
    String id = rules.memoryId(body.getValue(Fields.MEMORY_ID));
    return bus.request(VectorBus.GET, new JsonObject().put(Fields.MEMORY_ID, id), VectorBus.TIMEOUT_MS)
      .map(Expiry::shown);
  }

  public Future<JsonObject> list(JsonObject body) {
    JsonObject filters = filters(body);
    Scope scope = scopeOrFromFilters(body, filters);
    String unexpiredOn = flag(body, Fields.SHOW_EXPIRED, false) ? null : Expiry.today();
    int limit = rules.limit(body, rules.limits().defaultListLimit());
    return bus.request(VectorBus.LIST, new JsonObject()
      .put(VectorBus.SCOPE, scope.toJson())
      .put(Fields.FILTERS, filters)
      .put(VectorBus.UNEXPIRED_ON, unexpiredOn)
      .put(Fields.LIMIT, limit), VectorBus.TIMEOUT_MS)
      .map(Expiry::shownIn);
  }

  public Future<JsonObject> update(JsonObject body) {
    String id = rules.memoryId(body.getValue(Fields.MEMORY_ID));
    Object rawText = body.getValue(Fields.TEXT);
    if (rawText != null && !(rawText instanceof String)) {
      throw RequestRules.bad(Fields.TEXT, "text must be a string");
    }
    String text = rawText == null ? null : rules.text(Fields.TEXT, (String) rawText);
    JsonObject metadata = rules.metadata(body.getValue(Fields.METADATA), true);
    if (metadata != null && metadata.containsKey(Fields.APP_ID)) {
      throw RequestRules.bad(Fields.METADATA + "." + Fields.APP_ID, "metadata." + Fields.APP_ID + " records the app "
        + "that added the memory and cannot be changed");
    }
    if (body.containsKey(Fields.EXPIRATION_DATE)) {
      // a date sets it, null removes it (the metadata merge's rule for null)
      metadata = (metadata == null ? new JsonObject() : metadata.copy())
        .put(Fields.EXPIRATION_DATE, Expiry.date(body.getValue(Fields.EXPIRATION_DATE)));
    }
    if (text == null && metadata == null) {
      throw RequestRules.bad(Fields.TEXT, "give text, metadata, expiration_date or any of them together");
    }
    String at = Timestamps.now();
    JsonObject patch = new JsonObject().put(Fields.MEMORY_ID, id).put(Fields.UPDATED_AT, at);
    if (metadata != null) {
      patch.put(Fields.METADATA, metadata);
    }
    Future<JsonObject> ready = Future.succeededFuture(patch);
    if (text != null) {
      // The vector is of the searchable text, which also names the speaker: read it (it never changes) first.
      ready = bus.request(VectorBus.GET, new JsonObject().put(Fields.MEMORY_ID, id), VectorBus.TIMEOUT_MS)
        .compose(current -> bus.request(EmbeddingBus.EMBED, new JsonObject()
          .put(EmbeddingBus.TEXTS, new JsonArray().add(SearchableText.forEmbedding(text,
            current.getString(Fields.ACTOR_ID))))
          .put(EmbeddingBus.PURPOSE, EmbeddingBus.PURPOSE_DOCUMENT), EmbeddingBus.TIMEOUT_MS))
        .map(reply -> patch
          .put(Fields.TEXT, text)
          .put(Fields.HASH, TextHash.md5(text))
          .put(VectorBus.VECTOR, reply.getJsonArray(EmbeddingBus.VECTORS).getJsonArray(0)));
    }
    return ready.compose(p -> bus.request(VectorBus.UPDATE, p, VectorBus.TIMEOUT_MS))
      .map(reply -> new JsonObject()
        .put(Fields.MESSAGE, "Memory updated successfully!")
        .put(Fields.MEMORY, Expiry.shown(reply.getJsonObject(Fields.MEMORY)))
        .put(Fields.PREVIOUS_MEMORY, reply.getString(Fields.PREVIOUS_MEMORY)));
  }

  public Future<JsonObject> delete(JsonObject body) {
    String id = rules.memoryId(body.getValue(Fields.MEMORY_ID));
    return bus.request(VectorBus.DELETE, new JsonObject().put(Fields.MEMORY_ID, id).put(VectorBus.AT,
        Timestamps.now()), VectorBus.TIMEOUT_MS)
      .compose(reply -> graph.forgetMemory(Scope.from(reply.getJsonObject(Fields.MEMORY)), id))
      .map(graphStatus -> withGraphStatus(new JsonObject().put(Fields.MESSAGE, "Memory deleted successfully!"),
        graphStatus));
  }

  public Future<JsonObject> deleteAll(JsonObject body) {
    Scope scope = rules.requireScope(body);
    Future<JsonObject> vectors = bus.request(VectorBus.DELETE_SCOPE, new JsonObject().put(VectorBus.SCOPE,
      scope.toJson()), VectorBus.TIMEOUT_MS);
    Future<String> graphStatus = graph.deleteScope(scope);
    return Future.all(vectors, graphStatus)
      .map(both -> withGraphStatus(new JsonObject()
        .put(Fields.MESSAGE, "All relevant memories deleted")
        .put("deleted", vectors.result().getInteger("deleted")), graphStatus.result()));
  }

  public Future<JsonObject> history(JsonObject body) {
    String id = rules.memoryId(body.getValue(Fields.MEMORY_ID));
    return bus.request(VectorBus.HISTORY, new JsonObject().put(Fields.MEMORY_ID, id), VectorBus.TIMEOUT_MS)
      .compose(reply -> reply.getJsonArray(Fields.RESULTS).isEmpty()
        ? Future.failedFuture(BusFailure.notFound("no memory with id " + id).toException())
        : Future.succeededFuture(reply));
  }

  public Future<JsonObject> reset(JsonObject body) {
    Future<JsonObject> vectors = bus.request(VectorBus.RESET, new JsonObject(), VectorBus.TIMEOUT_MS);
    Future<String> graphStatus = graph.reset();
    return Future.all(vectors, graphStatus)
      .map(both -> withGraphStatus(new JsonObject().put(Fields.MESSAGE, "All memories reset"), graphStatus.result()));
  }

  /** A scope's graph: its nodes and edges with their properties, invalidated edges included. */
  public Future<JsonObject> graph(JsonObject body) {
    Scope scope = rules.requireScope(body);
    int limit = rules.limit(body, 1_000);
    return graph.export(scope, limit);
  }

  /** Deletions say what became of the graph part ("ok", or "pending" in the outbox) when graph memory is on. */
  private static JsonObject withGraphStatus(JsonObject reply, String graphStatus) {
    return graphStatus == null ? reply : reply.put(GraphBus.GRAPH, graphStatus);
  }

  public JsonObject health() {
    JsonObject health = new JsonObject()
      .put("status", "UP")
      .put("inference", inference == null ? "off: no LLM configured, adds are stored verbatim"
        : "on: " + llmProvider)
      .put("default_search_mode", defaultSearchMode)
      .put("graph", graph.enabled() ? "on" : "off");
    if (inference != null) {
      health.put("inferred_adds", inferenceStats.toJson());
    }
    return health;
  }
}
