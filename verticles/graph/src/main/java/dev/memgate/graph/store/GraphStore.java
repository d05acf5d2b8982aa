package dev.memgate.graph.store;

import dev.memgate.contract.Fields;
import dev.memgate.contract.Scope;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;
import org.neo4j.driver.async.AsyncTransactionContext;
import org.neo4j.driver.async.ResultCursor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Graph memory in any Neo4j 5 / 2025+ server over Bolt (the embedded one included): a future-returning API whose
 * writes each run in one transaction. Entities and relations are plain JSON on the way in and out, the way they
 * travel on the bus.
 */
public final class GraphStore {
  private final Bolt bolt;
  private final String node;

  /**
   * @param node names this Memgate node in the outbox markers it leaves (see {@link Cypher#OP_MARK})
   */
  public GraphStore(Driver driver, String database, Context context, String where, String node) {
    this.bolt = new Bolt(driver, database, context, where);
    this.node = node;
  }

  /** Creates the indexes (idempotent). */
  public Future<Void> ensureSchema() {
    Future<Void> chain = Future.succeededFuture();
    for (String statement : Cypher.SCHEMA) {
      chain = chain.compose(v -> bolt.write(tx -> tx.runAsync(statement).thenCompose(ResultCursor::consumeAsync))
        .mapEmpty());
    }
    return chain;
  }

  public Future<Void> ping() {
    return bolt.readAll(Cypher.PING, Map.of()).mapEmpty();
  }

  public Future<JsonObject> counts() {
    return bolt.read(tx -> single(tx, Cypher.COUNT_NODES, Map.of())
      .thenCompose(nodes -> single(tx, Cypher.COUNT_RELATIONS, Map.of())
        .thenApply(relations -> new JsonObject().put("nodes", nodes.get("n").asLong())
          .put("relations", relations.get("n").asLong()))));
  }

  // ---- reads for an add -------------------------------------------------------------------------------------------

  /**
   * For each entity (name, vector), the best entity of the exact scope that is the same (same name, or name
   * embedding at least {@code threshold} cosine): index → {id, name}.
   */
  public Future<Map<Integer, JsonObject>> resolveEntities(String scopeKey, JsonArray entities, double threshold) {
    return bolt.read(tx -> resolve(tx, scopeKey, entities, threshold));
  }

  /** Valid relations of the scope that the new relations may contradict, most related first. */
  public Future<List<JsonObject>> related(String scopeKey, List<Map<String, Object>> relations, double threshold,
                                          int limit) {
    Map<String, Object> params = Map.of("scope", scopeKey, "relations", relations, "threshold", threshold,
      "limit", limit);
    return bolt.readAll(Cypher.RELATED, params).map(records -> records.stream().map(r -> new JsonObject()
      .put("id", r.get("id").asString())
      .put("source", r.get("source").asString())
      .put("relationship", r.get("relationship").asString())
      .put("destination", r.get("destination").asString())
      .put("valid_from", text(r.get("valid_from")))
      .put("created_at", text(r.get("created_at")))).toList());
  }

  // ---- writes -----------------------------------------------------------------------------------------------------

  /**
   * Applies one add: resolves its entities again inside the transaction (another add may have created one since),
   * upserts them (one mention each), reaffirms or creates its relations, invalidates the contradicted ones, and
   * marks the outbox entry applied, all in one transaction. An entry already applied changes nothing.
   *
   * @param add {op, at, scope:{...}, scope_key, entities:[{name, type, vector}], relations:[{source, relationship,
   *            destination, valid_from, text, vector, sources}], invalidate:[{id, valid_to}]}
   * @return {applied, added:[...], invalidated:[...]}
   */
  public Future<JsonObject> applyAdd(JsonObject add, double threshold) {
    return bolt.write(tx -> single(tx, Cypher.OP_APPLIED, Map.of("op", add.getString("op"))).thenCompose(done -> {
      if (done.get("applied").asLong() > 0) {
        return CompletableFuture.completedFuture(new JsonObject().put("applied", false)
          .put("added", new JsonArray()).put("invalidated", new JsonArray()));
      }
      return writeAdd(tx, add, threshold);
    }));
  }

  private CompletionStage<JsonObject> writeAdd(AsyncTransactionContext tx, JsonObject add, double threshold) {
    String scopeKey = add.getString("scope_key");
    JsonArray entities = add.getJsonArray("entities");
    Map<String, Object> base = scopeParams(Scope.from(add.getJsonObject("scope")), scopeKey);
    base.put("at", add.getString("at"));
    base.put("op", add.getString("op"));
    return resolve(tx, scopeKey, entities, threshold).thenCompose(found -> {
      Map<String, String> idOfName = new HashMap<>();
      Map<String, String> storedName = new HashMap<>();
      List<Map<String, Object>> upserts = new ArrayList<>();
      for (int i = 0; i < entities.size(); i++) {
        JsonObject entity = entities.getJsonObject(i);
        JsonObject existing = found.get(i);
        String id = existing != null ? existing.getString("id") : java.util.UUID.randomUUID().toString();
        idOfName.put(entity.getString("name"), id);
        storedName.put(entity.getString("name"), existing != null ? existing.getString("name")
          : entity.getString("name"));
        if (upserts.stream().noneMatch(u -> u.get("id").equals(id))) {
          upserts.add(Map.of("id", id, "name", entity.getString("name"), "type", entity.getString("type"),
            "vector", floats(entity.getJsonArray("vector"))));
        }
      }
      List<Map<String, Object>> relations = new ArrayList<>();
      JsonArray planned = add.getJsonArray("relations");
      for (int i = 0; i < planned.size(); i++) {
        JsonObject rel = planned.getJsonObject(i);
        Map<String, Object> row = new HashMap<>();
        row.put("key", i);
        row.put("source", idOfName.get(rel.getString("source")));
        row.put("target", idOfName.get(rel.getString("destination")));
        row.put("name", rel.getString("relationship"));
        row.put("text", rel.getString("text"));
        row.put("vector", floats(rel.getJsonArray("vector")));
        row.put("valid_from", rel.getString("valid_from"));
        row.put("sources", rel.getJsonArray("sources", new JsonArray()).getList());
        row.put("id", java.util.UUID.randomUUID().toString());
        relations.add(row);
      }
      Map<String, Object> upsertParams = new HashMap<>(base);
      upsertParams.put("entities", upserts);
      return run(tx, Cypher.ENTITY_UPSERT, upsertParams)
        .thenCompose(v -> tx.runAsync(Cypher.RELATIONS_VALID_BETWEEN, Map.of("relations", relations))
          .thenCompose(ResultCursor::listAsync))
        .thenCompose(valid -> {
          Map<Integer, String> existingIds = new HashMap<>();
          valid.forEach(r -> existingIds.putIfAbsent(r.get("key").asInt(), r.get("id").asString()));
          List<Map<String, Object>> reaffirmed = new ArrayList<>();
          List<Map<String, Object>> created = new ArrayList<>();
          Map<String, Map<String, Object>> createdByTriple = new LinkedHashMap<>();
          for (Map<String, Object> row : relations) {
            String existing = existingIds.get((Integer) row.get("key"));
            if (existing != null) {
              Map<String, Object> again = new HashMap<>(row);
              again.put("id", existing);
              reaffirmed.add(again);
            } else {
              // The same triple twice in one add is one relation.
              createdByTriple.putIfAbsent(row.get("source") + "\u0000" + row.get("name") + "\u0000"
                + row.get("target"), row);
            }
          }
          created.addAll(createdByTriple.values());
          List<Map<String, Object>> invalidate = new ArrayList<>();
          for (Object raw : add.getJsonArray("invalidate", new JsonArray())) {
            JsonObject item = (JsonObject) raw;
            if (reaffirmed.stream().noneMatch(r -> r.get("id").equals(item.getString("id")))) {
              Map<String, Object> row = new HashMap<>();
              row.put("id", item.getString("id"));
              row.put("valid_to", item.getString("valid_to"));
              invalidate.add(row);
            }
          }
          Map<String, Object> reaffirmParams = new HashMap<>(base);
          reaffirmParams.put("relations", reaffirmed);
          Map<String, Object> createParams = new HashMap<>(base);
          createParams.put("relations", created);
          Map<String, Object> invalidateParams = new HashMap<>(base);
          invalidateParams.put("relations", invalidate);
          return run(tx, Cypher.RELATIONS_REAFFIRM, reaffirmParams)
            .thenCompose(v -> run(tx, Cypher.RELATIONS_CREATE, createParams))
            .thenCompose(v -> tx.runAsync(Cypher.RELATIONS_INVALIDATE, invalidateParams)
              .thenCompose(ResultCursor::listAsync))
            .thenCompose(invalidated -> run(tx, Cypher.OP_MARK, Map.of("op", base.get("op"), "node", node,
                "at", base.get("at")))
              .thenApply(v -> {
                JsonArray added = new JsonArray();
                for (int i = 0; i < planned.size(); i++) {
                  JsonObject rel = planned.getJsonObject(i);
                  added.add(new JsonObject()
                    .put("source", storedName.get(rel.getString("source")))
                    .put("relationship", rel.getString("relationship"))
                    .put("destination", storedName.get(rel.getString("destination")))
                    .put("valid_from", rel.getString("valid_from")));
                }
                JsonArray gone = new JsonArray();
                invalidated.forEach(r -> gone.add(relationJson(r)));
                return new JsonObject().put("applied", true).put("added", dedupe(added)).put("invalidated", gone);
              }));
        });
    });
  }

  /** {@code true} when something of the memory's contribution went. */
  public Future<JsonObject> forgetMemory(Scope scope, String memoryId) {
    Map<String, Object> params = Map.of("scope", scope.key(), "memory", memoryId);
    return bolt.write(tx -> single(tx, Cypher.FORGET_MEMORY, params)
      .thenCompose(relations -> single(tx, Cypher.DELETE_ORPHANS, Map.of("scope", scope.key()))
        .thenApply(nodes -> new JsonObject().put("relations_removed", relations.get("removed").asLong())
          .put("nodes_removed", nodes.get("removed").asLong()))));
  }

  public Future<JsonObject> deleteScope(Scope scope) {
    Map<String, Object> params = scopeParams(scope, scope.key());
    return bolt.write(tx -> single(tx, Cypher.deleteScope(scope), params)
      .thenApply(r -> new JsonObject().put("nodes_removed", r.get("removed").asLong())));
  }

  public Future<Void> reset() {
    return bolt.write(tx -> run(tx, Cypher.RESET, Map.of()).thenCompose(v -> run(tx, Cypher.RESET_OPS, Map.of())))
      .mapEmpty();
  }

  // ---- reads for search and export -------------------------------------------------------------------------------

  /**
   * Candidate relations for a search, each with its cosine to the query.
   *
   * @param names   normalised names of the query's entities (exact matches)
   * @param vectors embeddings of those names (close matches)
   */
  public Future<List<JsonObject>> searchCandidates(Scope scope, List<String> names, List<List<Float>> vectors,
                                                   List<Float> query, double threshold, Cypher.Validity validity,
                                                   String asOf) {
    Map<String, Object> params = scopeParams(scope, scope.key());
    params.put("names", names);
    params.put("vectors", vectors);
    params.put("query", query);
    params.put("threshold", threshold);
    params.put("neighbourhood", 100);
    params.put("closest", 20);
    params.put("as_of", asOf);
    return bolt.readAll(Cypher.searchCandidates(scope, validity), params)
      .map(records -> records.stream().map(r -> relationJson(r).put("id", r.get("id").asString())
        .put("created_at", text(r.get("created_at")))
        .put("semantic", r.get("semantic").isNull() ? 0.0 : r.get("semantic").asDouble())).toList());
  }

  public Future<JsonObject> export(Scope scope, int limit) {
    Map<String, Object> params = scopeParams(scope, scope.key());
    params.put("limit", limit + 1);
    return bolt.read(tx -> tx.runAsync(Cypher.exportNodes(scope), params).thenCompose(ResultCursor::listAsync)
      .thenCompose(nodes -> tx.runAsync(Cypher.exportEdges(scope), params).thenCompose(ResultCursor::listAsync)
        .thenApply(edges -> {
          JsonArray nodeJson = new JsonArray();
          nodes.stream().limit(limit).forEach(r -> nodeJson.add(json(r)));
          JsonArray edgeJson = new JsonArray();
          edges.stream().limit(limit).forEach(r -> edgeJson.add(json(r)));
          return new JsonObject().put("nodes", nodeJson).put("edges", edgeJson)
            .put("truncated", nodes.size() > limit || edges.size() > limit);
        })));
  }

  // ---- helpers ----------------------------------------------------------------------------------------------------

  private static CompletionStage<Map<Integer, JsonObject>> resolve(AsyncTransactionContext tx, String scopeKey,
                                                                   JsonArray entities, double threshold) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < entities.size(); i++) {
      JsonObject entity = entities.getJsonObject(i);
      rows.add(Map.of("name", entity.getString("name"), "vector", floats(entity.getJsonArray("vector"))));
    }
    if (rows.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    return tx.runAsync(Cypher.ENTITY_CANDIDATES, Map.of("scope", scopeKey, "entities", rows, "threshold", threshold))
      .thenCompose(ResultCursor::listAsync)
      .thenApply(records -> {
        Map<Integer, JsonObject> best = new HashMap<>();
        for (Record r : records) {
          best.putIfAbsent(r.get("i").asInt(), new JsonObject().put("id", r.get("id").asString())
            .put("name", r.get("name").asString()).put("similarity", r.get("sim").asDouble()));
        }
        return best;
      });
  }

  private static CompletionStage<Record> single(AsyncTransactionContext tx, String cypher, Map<String, Object> params) {
    return tx.runAsync(cypher, params).thenCompose(ResultCursor::singleAsync);
  }

  private static CompletionStage<Void> run(AsyncTransactionContext tx, String cypher, Map<String, Object> params) {
    return tx.runAsync(cypher, params).thenCompose(ResultCursor::consumeAsync).thenApply(summary -> null);
  }

  private static Map<String, Object> scopeParams(Scope scope, String scopeKey) {
    Map<String, Object> params = new HashMap<>();
    params.put("scope", scopeKey);
    params.put(Fields.USER_ID, scope.userId());
    params.put(Fields.AGENT_ID, scope.agentId());
    params.put(Fields.RUN_ID, scope.runId());
    return params;
  }

  static List<Float> floats(JsonArray vector) {
    List<Float> values = new ArrayList<>(vector.size());
    for (Object v : vector) {
      values.add(((Number) v).floatValue());
    }
    return values;
  }

  private static JsonArray dedupe(JsonArray relations) {
    Map<String, Object> seen = new LinkedHashMap<>();
    for (Object raw : relations) {
      JsonObject r = (JsonObject) raw;
      seen.putIfAbsent(r.getString("source") + "\u0000" + r.getString("relationship") + "\u0000"
        + r.getString("destination"), r);
    }
    return new JsonArray(new ArrayList<>(seen.values()));
  }

  private static JsonObject relationJson(Record r) {
    JsonObject json = new JsonObject()
      .put("source", r.get("source").asString())
      .put("relationship", r.get("relationship").asString())
      .put("destination", r.get("destination").asString())
      .put("valid_from", text(r.get("valid_from")));
    for (String optional : List.of("valid_to", "invalidated_at", "invalidated_by")) {
      if (r.containsKey(optional) && !r.get(optional).isNull()) {
        json.put(optional, r.get(optional).asString());
      }
    }
    return json;
  }

  private static JsonObject json(Record record) {
    JsonObject json = new JsonObject();
    for (String key : record.keys()) {
      Value value = record.get(key);
      if (value.isNull()) {
        continue;
      }
      Object plain = value.asObject();
      json.put(key, plain instanceof List<?> list ? new JsonArray(new ArrayList<>(list)) : plain);
    }
    return json;
  }

  private static String text(Value value) {
    return value == null || value.isNull() ? null : value.asString();
  }
}
