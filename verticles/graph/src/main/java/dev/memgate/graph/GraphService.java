package dev.memgate.graph;

import dev.memgate.contract.BusClient;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.EmbeddingBus;
import dev.memgate.contract.Fields;
import dev.memgate.contract.GraphBus;
import dev.memgate.contract.LlmBus;
import dev.memgate.contract.Scope;
import dev.memgate.contract.Timestamps;
import dev.memgate.contract.UpstreamText;
import dev.memgate.graph.extract.Contradictions;
import dev.memgate.contract.Dates;
import dev.memgate.graph.extract.Extraction;
import dev.memgate.graph.extract.Names;
import dev.memgate.graph.extract.QueryEntities;
import dev.memgate.graph.outbox.GraphWriter;
import dev.memgate.graph.search.QueryNames;
import dev.memgate.graph.search.Rerank;
import dev.memgate.graph.store.Cypher;
import dev.memgate.graph.store.GraphStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The graph operations behind {@link GraphBus}. Writes go through the {@link GraphWriter} (outbox first); reads go
 * straight to the store. LLM calls go to the LLM service, embeddings to the embedding service, both over the bus.
 */
final class GraphService {
  private static final Logger LOG = LoggerFactory.getLogger(GraphService.class);
  /** An add whose contradiction check keeps failing at replay is applied without it after this many attempts. */
  private static final int RESOLVE_ATTEMPTS = 5;

  private final BusClient bus;
  private final GraphConfig config;
  private final GraphStore store;
  private GraphWriter writer;
  private boolean schemaReady;

  GraphService(BusClient bus, GraphConfig config, GraphStore store) {
    this.bus = bus;
    this.config = config;
    this.store = store;
  }

  void writer(GraphWriter writer) {
    this.writer = writer;
  }

  // ---- add: prepare ------------------------------------------------------------------------------------------------

  /** LLM call G1, the embeddings, and (when related relations exist and the store is here) LLM call G2. No write. */
  Future<JsonObject> prepare(JsonObject body) {
    Scope scope = Scope.from(body.getJsonObject(GraphBus.SCOPE, new JsonObject()));
    String text = body.getString(GraphBus.TEXT, "");
    String at = body.getString(GraphBus.AT, Timestamps.now());
    String self = self(scope);
    JsonObject usage = new JsonObject().put("llm_calls", 0).put("input_tokens", 0L).put("output_tokens", 0L)
      .put("llm_ms", 0L);
    return llm(Extraction.request(self, text), usage).compose(reply -> {
      Extraction.Result extracted = Extraction.read(reply, self);
      JsonObject plan = new JsonObject()
        .put("op", UUID.randomUUID().toString())
        .put("at", at)
        .put("scope", scope.toJson())
        .put("scope_key", scope.key())
        .put("self", self)
        .put("text", text)
        .put("entities", new JsonArray())
        .put("relations", new JsonArray())
        .put("invalidate", new JsonArray())
        .put("resolved", true);
      if (extracted.relations().isEmpty()) {
        return Future.succeededFuture(plan);
      }
      return embed(extracted, plan).compose(p -> writer.backlog() > 0 || writer.away()
        ? Future.succeededFuture(p.put("resolved", false))
        : resolve(p, usage).recover(err -> isStoreAway(err)
          ? Future.succeededFuture(p.put("resolved", false))
          : Future.failedFuture(err)));
    }).map(plan -> new JsonObject().put(GraphBus.PLAN, plan).put(GraphBus.USAGE, usage));
  }

  private Future<JsonObject> embed(Extraction.Result extracted, JsonObject plan) {
    JsonArray texts = new JsonArray();
    extracted.entities().keySet().forEach(name -> texts.add(Names.words(name)));
    extracted.relations().forEach(r -> texts.add(r.text()));
    JsonObject request = new JsonObject().put(EmbeddingBus.TEXTS, texts)
      .put(EmbeddingBus.PURPOSE, EmbeddingBus.PURPOSE_DOCUMENT);
    return bus.request(EmbeddingBus.EMBED, request, EmbeddingBus.TIMEOUT_MS).map(reply -> {
      JsonArray vectors = reply.getJsonArray(EmbeddingBus.VECTORS);
      int i = 0;
      for (Map.Entry<String, String> entity : extracted.entities().entrySet()) {
        plan.getJsonArray("entities").add(new JsonObject().put("name", entity.getKey()).put("type", entity.getValue())
          .put("vector", vectors.getJsonArray(i++)));
      }
      for (Extraction.Relation relation : extracted.relations()) {
        plan.getJsonArray("relations").add(new JsonObject()
          .put("source", relation.source())
          .put("relationship", relation.relationship())
          .put("destination", relation.destination())
          .put("valid_from", relation.validFrom())
          .put("text", relation.text())
          .put("vector", vectors.getJsonArray(i++)));
      }
      return plan;
    });
  }

  /**
   * Finds the stored relations the new ones may contradict and, when there are any, asks the model which of them
   * are no longer true (G2). Sets the plan's {@code invalidate} and {@code resolved}.
   */
  private Future<JsonObject> resolve(JsonObject plan, JsonObject usage) {
    JsonArray entities = plan.getJsonArray("entities");
    JsonArray relations = plan.getJsonArray("relations");
    return schema().compose(v -> store.resolveEntities(plan.getString("scope_key"), entities,
      config.mergeThreshold())).compose(found -> {
        Map<String, String> existingId = new java.util.HashMap<>();
        for (int i = 0; i < entities.size(); i++) {
          if (found.containsKey(i)) {
            existingId.put(entities.getJsonObject(i).getString("name"), found.get(i).getString("id"));
          }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Object raw : relations) {
          JsonObject relation = (JsonObject) raw;
          String source = existingId.get(relation.getString("source"));
          String target = existingId.get(relation.getString("destination"));
          List<String> ends = new ArrayList<>();
          if (source != null) {
            ends.add(source);
          }
          if (target != null) {
            ends.add(target);
          }
          if (ends.isEmpty()) {
            continue;
          }
          Map<String, Object> row = new java.util.HashMap<>();
          row.put("ends", ends);
          row.put("source", source == null ? "" : source);
          row.put("target", target == null ? "" : target);
          row.put("name", relation.getString("relationship"));
          row.put("vector", floats(relation.getJsonArray("vector")));
          rows.add(row);
        }
        if (rows.isEmpty()) {
          return Future.succeededFuture(plan.put("resolved", true));
        }
        return store.related(plan.getString("scope_key"), rows, config.relatedThreshold(), config.maxRelated())
          .compose(stored -> {
            if (stored.isEmpty()) {
              return Future.succeededFuture(plan.put("resolved", true));
            }
            List<Extraction.Relation> newRelations = relations.stream().map(r -> (JsonObject) r)
              .map(r -> new Extraction.Relation(r.getString("source"), r.getString("relationship"),
                r.getString("destination"), r.getString("valid_from"))).toList();
            JsonArray shown = new JsonArray(new ArrayList<>(stored));
            return llm(Contradictions.request(shown, newRelations, plan.getString("text")), usage).map(reply -> {
              JsonArray invalidate = new JsonArray();
              for (int position : Contradictions.read(reply, stored.size())) {
                JsonObject old = stored.get(position);
                invalidate.add(new JsonObject().put("id", old.getString("id"))
                  .put("valid_to", endOf(old, newRelations)));
              }
              return plan.put("invalidate", invalidate).put("resolved", true);
            });
          });
      });
  }

  /** When a contradicted relation stopped being true: when its replacement became true, if the text says. */
  private static String endOf(JsonObject old, List<Extraction.Relation> newRelations) {
    for (Extraction.Relation r : newRelations) {
      if (r.validFrom() != null && r.source().equals(old.getString("source"))
        && r.relationship().equals(old.getString("relationship"))) {
        return r.validFrom();
      }
    }
    for (Extraction.Relation r : newRelations) {
      if (r.validFrom() != null && (r.source().equals(old.getString("source"))
        || r.destination().equals(old.getString("destination")))) {
        return r.validFrom();
      }
    }
    return null;
  }

  // ---- add: commit -------------------------------------------------------------------------------------------------

  /** Records which memories each relation came from, then hands the add to the outbox and waits for it. */
  Future<JsonObject> commit(JsonObject body) {
    JsonObject plan = body.getJsonObject(GraphBus.PLAN);
    JsonArray memories = body.getJsonArray(GraphBus.MEMORIES, new JsonArray());
    JsonArray relations = plan.getJsonArray("relations", new JsonArray());
    if (relations.isEmpty()) {
      return Future.succeededFuture(reply(GraphBus.OK, new JsonArray(), new JsonArray()));
    }
    JsonArray pending = new JsonArray();
    for (Object raw : relations) {
      JsonObject relation = (JsonObject) raw;
      Extraction.Relation triple = new Extraction.Relation(relation.getString("source"),
        relation.getString("relationship"), relation.getString("destination"), relation.getString("valid_from"));
      relation.put("sources", new JsonArray(new ArrayList<>(Attribution.sources(triple, memories,
        plan.getString("self")))));
      pending.add(new JsonObject().put("source", triple.source()).put("relationship", triple.relationship())
        .put("destination", triple.destination()).put("valid_from", triple.validFrom()));
    }
    JsonObject op = plan.copy().put("kind", "add");
    JsonObject pendingReply = reply(GraphBus.PENDING, new JsonArray(), new JsonArray());
    pendingReply.getJsonObject(GraphBus.RELATIONS).put("pending", pending);
    return writer.submit(op, pendingReply);
  }

  // ---- deletions ---------------------------------------------------------------------------------------------------

  Future<JsonObject> forgetMemory(JsonObject body) {
    JsonObject op = new JsonObject().put("kind", "forget").put("scope", body.getJsonObject(GraphBus.SCOPE))
      .put("memory_id", body.getString(GraphBus.MEMORY_ID));
    return writer.submit(op, new JsonObject().put(GraphBus.GRAPH, GraphBus.PENDING));
  }

  Future<JsonObject> deleteScope(JsonObject body) {
    Scope scope = Scope.from(body.getJsonObject(GraphBus.SCOPE, new JsonObject()));
    if (scope.isEmpty()) {
      return Future.failedFuture(BusFailure.badInput(Fields.USER_ID, "one of user_id, agent_id or run_id is required")
        .toException());
    }
    JsonObject op = new JsonObject().put("kind", "delete_scope").put("scope", scope.toJson());
    return writer.submit(op, new JsonObject().put(GraphBus.GRAPH, GraphBus.PENDING));
  }

  Future<JsonObject> reset(JsonObject body) {
    return writer.submit(new JsonObject().put("kind", "reset"), new JsonObject().put(GraphBus.GRAPH,
      GraphBus.PENDING));
  }

  /** Applies one outbox entry to the store (the writer calls this, in order, one at a time). */
  Future<JsonObject> apply(JsonObject op, int attempt) {
    return schema().compose(v -> switch (op.getString("kind")) {
      case "add" -> resolved(op, attempt)
        .compose(ready -> store.applyAdd(ready, config.mergeThreshold()))
        .map(result -> reply(GraphBus.OK, result.getJsonArray("added"), result.getJsonArray("invalidated")));
      case "forget" -> store.forgetMemory(Scope.from(op.getJsonObject("scope")), op.getString("memory_id"))
        .map(result -> result.put(GraphBus.GRAPH, GraphBus.OK));
      case "delete_scope" -> store.deleteScope(Scope.from(op.getJsonObject("scope")))
        .map(result -> result.put(GraphBus.GRAPH, GraphBus.OK));
      case "reset" -> store.reset().map(x -> new JsonObject().put(GraphBus.GRAPH, GraphBus.OK));
      default -> Future.failedFuture(new IllegalStateException("unknown outbox entry " + op.getString("kind")));
    });
  }

  /** An add prepared while the store was away has its contradiction check now, at its turn. */
  private Future<JsonObject> resolved(JsonObject op, int attempt) {
    if (op.getBoolean("resolved", true)) {
      return Future.succeededFuture(op);
    }
    JsonObject usage = new JsonObject().put("llm_calls", 0);
    return resolve(op.copy(), usage).recover(err -> {
      if (!isStoreAway(err) && attempt >= RESOLVE_ATTEMPTS) {
        LOG.warn("graph add {}: the contradiction check failed {} times ({}); applying it without", op.getString("op"),
          attempt, UpstreamText.summary(err.getMessage()));
        return Future.succeededFuture(op.copy().put("resolved", true));
      }
      return Future.failedFuture(err);
    });
  }

  private Future<Void> schema() {
    if (schemaReady) {
      return Future.succeededFuture();
    }
    return store.ensureSchema().onSuccess(v -> schemaReady = true);
  }

  // ---- reads -------------------------------------------------------------------------------------------------------

  /**
   * The query's entities (its own words and, with an LLM, the model's reading of it, if that comes in time), their
   * neighbourhood and the relations closest in meaning to the query, reranked.
   */
  Future<JsonObject> search(JsonObject body) {
    Scope scope = Scope.from(body.getJsonObject(GraphBus.SCOPE, new JsonObject()));
    String query = body.getString(GraphBus.QUERY, "");
    int limit = body.getInteger(GraphBus.LIMIT, config.searchLimit());
    String asOf = body.getString(GraphBus.AS_OF) == null ? null : Dates.end(body.getString(GraphBus.AS_OF));
    boolean all = body.getBoolean(GraphBus.INCLUDE_INVALIDATED, false);
    Cypher.Validity validity = all ? Cypher.Validity.ALL : asOf != null ? Cypher.Validity.AS_OF
      : Cypher.Validity.CURRENT;
    String self = self(scope);
    Set<String> names = new LinkedHashSet<>(QueryNames.of(query, self));
    Future<Set<String>> modelNames = config.llmEnabled()
      ? bus.request(LlmBus.CHAT, QueryEntities.request(self, query), config.queryLlmTimeoutMs())
        .map(reply -> QueryEntities.read(reply, self))
        .otherwise(err -> Set.of())
      : Future.succeededFuture(Set.of());
    return modelNames.<List<JsonObject>>compose(fromModel -> {
      names.addAll(fromModel);
      List<String> nameList = new ArrayList<>(names);
      JsonArray nameTexts = new JsonArray();
      nameList.forEach(n -> nameTexts.add(Names.words(n)));
      Future<JsonObject> queryVector = bus.request(EmbeddingBus.EMBED, new JsonObject()
        .put(EmbeddingBus.TEXTS, new JsonArray().add(query))
        .put(EmbeddingBus.PURPOSE, EmbeddingBus.PURPOSE_QUERY), EmbeddingBus.TIMEOUT_MS);
      Future<JsonObject> nameVectors = nameList.isEmpty() ? Future.succeededFuture(new JsonObject()
        .put(EmbeddingBus.VECTORS, new JsonArray()))
        : bus.request(EmbeddingBus.EMBED, new JsonObject().put(EmbeddingBus.TEXTS, nameTexts)
          .put(EmbeddingBus.PURPOSE, EmbeddingBus.PURPOSE_DOCUMENT), EmbeddingBus.TIMEOUT_MS);
      return Future.all(queryVector, nameVectors).compose(embedded -> {
        List<Float> q = floats(queryVector.result().getJsonArray(EmbeddingBus.VECTORS).getJsonArray(0));
        List<List<Float>> vectors = new ArrayList<>();
        nameVectors.result().getJsonArray(EmbeddingBus.VECTORS).forEach(v -> vectors.add(floats((JsonArray) v)));
        return store.searchCandidates(scope, nameList, vectors, q, config.mergeThreshold(), validity, asOf);
      });
    }).map(candidates -> {
      JsonArray relations = new JsonArray();
      for (JsonObject ranked : Rerank.rank(query, candidates, limit)) {
        ranked.remove("semantic");
        ranked.remove("id");
        ranked.remove("created_at");
        relations.add(ranked);
      }
      return new JsonObject().put(GraphBus.RELATIONS, relations);
    });
  }

  Future<JsonObject> export(JsonObject body) {
    Scope scope = Scope.from(body.getJsonObject(GraphBus.SCOPE, new JsonObject()));
    return store.export(scope, body.getInteger(GraphBus.LIMIT, 1_000));
  }

  /** The user's node name: the scope's user id as given, or "user" when the scope has none. */
  static String self(Scope scope) {
    return scope.userId() == null ? "user" : scope.userId();
  }

  // ---- helpers -----------------------------------------------------------------------------------------------------

  private Future<JsonObject> llm(JsonObject request, JsonObject usage) {
    return bus.request(LlmBus.CHAT, request, config.llmTimeoutMs()).onSuccess(reply -> {
      JsonObject used = reply.getJsonObject(LlmBus.USAGE, new JsonObject());
      usage.put("llm_calls", usage.getInteger("llm_calls") + 1)
        .put("input_tokens", usage.getLong("input_tokens", 0L) + used.getLong(LlmBus.INPUT_TOKENS, 0L))
        .put("output_tokens", usage.getLong("output_tokens", 0L) + used.getLong(LlmBus.OUTPUT_TOKENS, 0L))
        .put("llm_ms", usage.getLong("llm_ms", 0L) + reply.getLong(LlmBus.DURATION_MS, 0L));
    });
  }

  static JsonObject reply(String status, JsonArray added, JsonArray invalidated) {
    return new JsonObject().put(GraphBus.GRAPH, status)
      .put(GraphBus.RELATIONS, new JsonObject().put(GraphBus.ADDED, added).put(GraphBus.INVALIDATED, invalidated));
  }

  private static boolean isStoreAway(Throwable err) {
    BusFailure failure = BusFailure.from(err);
    return failure.error() == dev.memgate.contract.BusError.UNAVAILABLE && "graph".equals(failure.dependency());
  }

  private static List<Float> floats(JsonArray vector) {
    List<Float> values = new ArrayList<>(vector.size());
    for (Object v : vector) {
      values.add(((Number) v).floatValue());
    }
    return values;
  }
}
