package dev.memgate.vector;

import dev.memgate.contract.BusFailure;
import dev.memgate.contract.BusServer;
import dev.memgate.contract.Fields;
import dev.memgate.contract.RequiredConfig;
import dev.memgate.contract.Scope;
import dev.memgate.contract.VectorBus;
import dev.memgate.contract.Vectors;
import dev.memgate.vector.filter.Filter;
import dev.memgate.vector.filter.FilterParser;
import dev.memgate.vector.lucene.LuceneMemoryStore;
import dev.memgate.vector.pgvector.PgVectorMemoryStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves {@link VectorBus} over the configured {@link MemoryStore}. One instance owns the store; it parses the
 * messages, the store does the work.
 *
 * <p>Configuration: {@code store} (lucene or pgvector), {@code data_dir}, {@code embedding_model},
 * {@code embedding_dimension}, {@code read_threads} (lucene), {@code pgvector} (an object: see PgStoreConfig).
 */
public final class VectorVerticle extends VerticleBase {
  private MemoryStore store;

  @Override
  public Future<?> start() {
    RequiredConfig config = RequiredConfig.of("vector verticle", config());
    MemoryStore.EmbeddingSpec spec = new MemoryStore.EmbeddingSpec(config.text("embedding_model"),
      config.integer("embedding_dimension"));
    store = createStore(config);
    return store.open(spec).compose(v -> Future.all(List.of(
      BusServer.serve(vertx, VectorBus.INSERT, this::insert).completion(),
      BusServer.serve(vertx, VectorBus.UPDATE, this::update).completion(),
      BusServer.serve(vertx, VectorBus.DELETE, this::delete).completion(),
      BusServer.serve(vertx, VectorBus.APPLY, this::apply).completion(),
      BusServer.serve(vertx, VectorBus.DELETE_SCOPE, this::deleteScope).completion(),
      BusServer.serve(vertx, VectorBus.GET, this::get).completion(),
      BusServer.serve(vertx, VectorBus.LIST, this::list).completion(),
      BusServer.serve(vertx, VectorBus.COUNT, this::count).completion(),
      BusServer.serve(vertx, VectorBus.SEARCH, this::search).completion(),
      BusServer.serve(vertx, VectorBus.HISTORY, this::history).completion(),
      BusServer.serve(vertx, VectorBus.RESET, body -> store.reset().map(x -> new JsonObject())).completion(),
      BusServer.serve(vertx, VectorBus.HEALTH, body -> store.health()).completion())));
  }

  private MemoryStore createStore(RequiredConfig config) {
    String kind = config.text("store");
    if ("lucene".equals(kind)) {
      Path dir = Path.of(config.text("data_dir")).resolve("lucene");
      return new LuceneMemoryStore(vertx, dir, config.integer("read_threads"));
    }
    if ("pgvector".equals(kind)) {
      return new PgVectorMemoryStore(vertx, config.object("pgvector"));
    }
    throw new IllegalArgumentException("vector.store: unknown store " + kind);
  }

  private Future<JsonObject> insert(JsonObject body) {
    JsonArray records = body.getJsonArray(VectorBus.RECORDS, new JsonArray());
    List<MemoryRecord> parsed = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      parsed.add(MemoryRecord.fromBus(records.getJsonObject(i)));
    }
    return store.insert(parsed).map(outcomes -> {
      JsonArray results = new JsonArray();
      outcomes.forEach(o -> results.add(o.record().toItem().put(Fields.EVENT, o.event())));
      return new JsonObject().put(Fields.RESULTS, results);
    });
  }

  private Future<JsonObject> update(JsonObject body) {
    return store.update(patchOf(body)).map(outcome -> new JsonObject()
      .put(Fields.MEMORY, outcome.record().toItem())
      .put(Fields.PREVIOUS_MEMORY, outcome.previousText()));
  }

  private Future<JsonObject> apply(JsonObject body) {
    Scope scope = Scope.from(body.getJsonObject(VectorBus.SCOPE, new JsonObject()));
    if (scope.isEmpty()) {
      return Future.failedFuture(BusFailure.badInput(Fields.USER_ID,
        "one of user_id, agent_id or run_id is required").toException());
    }
    JsonArray raw = body.getJsonArray(VectorBus.CHANGES, new JsonArray());
    List<MemoryStore.Change> changes = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      JsonObject change = raw.getJsonObject(i);
      String event = change.getString(Fields.EVENT, "");
      changes.add(switch (event) {
        case "ADD" -> new MemoryStore.Change.Add(MemoryRecord.fromBus(change.getJsonObject(VectorBus.RECORD)));
        case "UPDATE" -> new MemoryStore.Change.Update(patchOf(change));
        case "DELETE" -> new MemoryStore.Change.Delete(change.getString(Fields.MEMORY_ID),
          change.getString(VectorBus.AT));
        default -> throw BusFailure.badInput(VectorBus.CHANGES + "[" + i + "].event",
          "event must be ADD, UPDATE or DELETE").toException();
      });
    }
    return store.apply(scope, changes).map(outcomes -> {
      JsonArray results = new JsonArray();
      outcomes.forEach(o -> results.add(new JsonObject()
        .put(Fields.EVENT, o.event())
        .put(Fields.MEMORY, o.record().toItem())
        .put(Fields.PREVIOUS_MEMORY, o.previousText())));
      return new JsonObject().put(Fields.RESULTS, results);
    });
  }

  private static MemoryStore.MemoryPatch patchOf(JsonObject body) {
    JsonArray vector = body.getJsonArray(VectorBus.VECTOR);
    return new MemoryStore.MemoryPatch(body.getString(Fields.MEMORY_ID), body.getString(Fields.TEXT),
      body.getString(Fields.HASH), vector == null ? null : Vectors.fromJson(vector),
      body.getJsonObject(Fields.METADATA), body.getString(Fields.UPDATED_AT));
  }

  private Future<JsonObject> delete(JsonObject body) {
    return store.delete(body.getString(Fields.MEMORY_ID), body.getString(VectorBus.AT))
      .map(record -> new JsonObject().put(Fields.MEMORY, record.toItem()));
  }

  private Future<JsonObject> deleteScope(JsonObject body) {
    Scope scope = Scope.from(body.getJsonObject(VectorBus.SCOPE, new JsonObject()));
    if (scope.isEmpty()) {
      // Never "delete everything" by accident: that is what reset is for.
      return Future.failedFuture(BusFailure.badInput(Fields.USER_ID,
        "one of user_id, agent_id or run_id is required").toException());
    }
    return store.deleteScope(scope).map(n -> new JsonObject().put("deleted", n));
  }

  private Future<JsonObject> get(JsonObject body) {
    return store.get(body.getString(Fields.MEMORY_ID)).map(MemoryRecord::toItem);
  }

  private Future<JsonObject> list(JsonObject body) {
    Scope scope = Scope.from(body.getJsonObject(VectorBus.SCOPE, new JsonObject()));
    Filter filter = FilterParser.withExpiry(body.getJsonObject(Fields.FILTERS),
      body.getString(VectorBus.UNEXPIRED_ON));
    return store.list(scope, filter, body.getInteger(Fields.LIMIT, 100)).map(records -> {
      JsonArray results = new JsonArray();
      records.forEach(r -> results.add(r.toItem()));
      return new JsonObject().put(Fields.RESULTS, results);
    });
  }

  private Future<JsonObject> count(JsonObject body) {
    Scope scope = Scope.from(body.getJsonObject(VectorBus.SCOPE, new JsonObject()));
    Filter filter = FilterParser.parse(body.getJsonObject(Fields.FILTERS));
    return store.count(scope, filter).map(n -> new JsonObject().put(VectorBus.COUNT_FIELD, n));
  }

  private Future<JsonObject> search(JsonObject body) {
    Scope scope = Scope.from(body.getJsonObject(VectorBus.SCOPE, new JsonObject()));
    Filter filter = FilterParser.withExpiry(body.getJsonObject(Fields.FILTERS),
      body.getString(VectorBus.UNEXPIRED_ON));
    JsonArray vector = body.getJsonArray(VectorBus.VECTOR);
    MemoryStore.SearchQuery query = new MemoryStore.SearchQuery(scope,
      vector == null ? null : Vectors.fromJson(vector), body.getString(Fields.QUERY), filter,
      body.getInteger(Fields.LIMIT, 10), body.getDouble(Fields.THRESHOLD),
      MemoryStore.SearchMode.parse(body.getString(Fields.MODE)), body.getBoolean(Fields.EXPLAIN, false));
    return store.search(query).map(hits -> {
      JsonArray results = new JsonArray();
      hits.forEach(h -> {
        JsonObject item = h.record().toItem().put(Fields.SCORE, h.score());
        if (h.details() != null) {
          item.put(Fields.SCORE_DETAILS, h.details());
        }
        results.add(item);
      });
      return new JsonObject().put(Fields.RESULTS, results);
    });
  }

  private Future<JsonObject> history(JsonObject body) {
    return store.history(body.getString(Fields.MEMORY_ID)).map(entries -> {
      JsonArray results = new JsonArray();
      entries.forEach(e -> results.add(e.toJson()));
      return new JsonObject().put(Fields.RESULTS, results);
    });
  }

  @Override
  public Future<?> stop() {
    return store == null ? Future.succeededFuture() : store.close();
  }
}
