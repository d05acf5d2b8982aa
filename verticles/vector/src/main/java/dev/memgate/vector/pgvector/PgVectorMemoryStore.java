package dev.memgate.vector.pgvector;

import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.Scope;
import dev.memgate.contract.SearchableText;
import dev.memgate.vector.ChangeChecks;
import dev.memgate.vector.HistoryEntry;
import dev.memgate.vector.MemoryRecord;
import dev.memgate.vector.MemoryStore;
import dev.memgate.vector.filter.Filter;
import dev.memgate.vector.ranking.HybridFusion;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The shared store: memories and their history in PostgreSQL with pgvector, reached through Vert.x's non-blocking
 * client, so that several Memgate nodes can serve one database. Every write is one transaction (the memory change
 * with its history row), committed before it is acknowledged. When PostgreSQL is away every operation fails fast
 * with 503 naming {@value PgFailures#DEPENDENCY}; the pool connects again by itself once it is back.
 *
 * <p>Vector search is exact (every distance in the scope) when the scope is small, and goes through the HNSW index
 * with pgvector 0.8's iterative scan otherwise, falling back to exact when the index finds fewer than asked: a
 * scoped search returns k results whenever the scope holds k.
 */
public final class PgVectorMemoryStore implements MemoryStore {
  private static final Logger LOG = LoggerFactory.getLogger(PgVectorMemoryStore.class);
  private static final int MAX_HISTORY = 10_000;

  private final Vertx vertx;
  private final PgStoreConfig config;
  private final HybridFusion fusion = new HybridFusion(HybridFusion.DEFAULT);
  private Pool pool;
  private EmbeddingSpec embedding;
  private PgSchema.ServerFacts server;
  private PgVectorSearch searchPath;

  public PgVectorMemoryStore(Vertx vertx, JsonObject config) {
    this.vertx = vertx;
    this.config = PgStoreConfig.from(config);
  }

  @Override
  public String name() {
    return "pgvector";
  }

  @Override
  public Future<Void> open(EmbeddingSpec spec) {
    this.embedding = spec;
    pool = PgBuilder.pool()
      .with(new PoolOptions()
        .setMaxSize(config.poolSize())
        .setName("memgate-pgvector")
        // Waiting for a connection must not outlast the bus deadline; an unreachable server fails each attempt
        // within the connect timeout, so requests fail fast instead of queueing.
        .setConnectionTimeout(Math.max(1_000, 2 * config.connectTimeoutMs()))
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        .setIdleTimeout(5)
        .setIdleTimeoutUnit(TimeUnit.MINUTES))
      .with(new NetClientOptions().setConnectTimeout(config.connectTimeoutMs()).setTcpKeepAlive(true))
      .connectingTo(config.connect())
      .withConnectHandler(this::quietNotices)
      .using(vertx)
      .build();
    return PgSchema.migrate(pool, spec, config.where())
      .recover(err -> Future.failedFuture(PgFailures.isUnavailable(err)
        ? new IllegalStateException("cannot reach PostgreSQL at " + config.where() + ": " + err.getMessage())
        : err))
      .map(facts -> {
        server = facts;
        searchPath = new PgVectorSearch(config, facts);
        LOG.info("pgvector store open at {} (pgvector {}, {}{})", config.where(), facts.vectorVersion(),
          facts.iterativeScan() ? "iterative index scans" : "no iterative index scans: exact fallback only",
          facts.icu() ? "" : ", no ICU collation: icontains lower-cases with the database's rules");
        return null;
      });
  }

  /** Notices (e.g. "query contains only stop words") are expected; keep them out of the warning log. */
  private void quietNotices(SqlConnection conn) {
    if (conn instanceof PgConnection pg) {
      pg.noticeHandler(notice -> LOG.debug("PostgreSQL notice: {}", notice.getMessage()));
    }
    conn.close();
  }

  // ---- writes ------------------------------------------------------------------------------------------------

  @Override
  public Future<List<InsertOutcome>> insert(List<MemoryRecord> records) {
    for (MemoryRecord record : records) {
      if (record.vector() == null || record.vector().length != embedding.dimension()) {
        return Future.failedFuture(BusFailure.badInput("vector", "vector of " + embedding.dimension()
          + " dimensions required").toException());
      }
    }
    if (records.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return guarded(PgFailures.retryingConflicts(() -> pool.withTransaction(conn ->
      lockScopesAndTexts(conn, records)
      .compose(locked -> conn.preparedQuery(PgSql.INSERT_MEMORY).executeBatch(insertTuples(records)))
      .compose(added -> outcomes(conn, records, added)))));
  }

  /**
   * Two adds of one text to one scope, on any node, take the same lock, so the second sees the first's row and
   * reports NONE. Locks are taken in a fixed order so that two batches never wait on each other in a circle.
   */
  private static Future<Void> lockScopesAndTexts(SqlConnection conn, List<MemoryRecord> records) {
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    TreeSet<Integer> keys = new TreeSet<>();
    records.forEach(r -> keys.add((r.scope().key() + '\u0000' + r.hash()).hashCode()));
    List<Tuple> tuples = keys.stream().map(Tuple::of).toList();
    return conn.preparedQuery(PgSql.LOCK_DEDUP).executeBatch(tuples).mapEmpty();
  }

  private static List<Tuple> insertTuples(List<MemoryRecord> records) {
    List<Tuple> tuples = new ArrayList<>(records.size());
    for (MemoryRecord r : records) {
      tuples.add(Tuple.wrap(Arrays.asList(r.id(), r.text(), r.hash(), PgRows.vectorText(r.vector()),
        r.scope().userId(), r.scope().agentId(), r.scope().runId(), r.actorId(), r.role(),
        r.metadata() == null ? new JsonObject() : r.metadata(), r.createdAt(), r.updatedAt(),
        UUID.randomUUID().toString(), SearchableText.forKeywords(r.text(), r.actorId(), r.createdAt()))));
    }
    return tuples;
  }

  /** A batch answers one row set per record, in order: a row when it was added, none when it was already there. */
  private static Future<List<InsertOutcome>> outcomes(SqlConnection conn, List<MemoryRecord> records,
                                                      RowSet<Row> added) {
    List<InsertOutcome> outcomes = new ArrayList<>(records.size());
    List<Integer> duplicates = new ArrayList<>();
    RowSet<Row> result = added;
    for (int i = 0; i < records.size(); i++) {
      if (result.size() > 0) {
        outcomes.add(new InsertOutcome(withoutVector(records.get(i)), InsertOutcome.ADD));
      } else {
        outcomes.add(null);
        duplicates.add(i);
      }
      result = result.next();
    }
    if (duplicates.isEmpty()) {
      return Future.succeededFuture(outcomes);
    }
    List<Tuple> lookups = duplicates.stream().map(records::get).map(r -> Tuple.of(r.hash(), r.scope().userId(),
      r.scope().agentId(), r.scope().runId())).toList();
    return conn.preparedQuery(PgSql.EXISTING_IN_SCOPE).executeBatch(lookups).compose(found -> {
      RowSet<Row> each = found;
      for (int index : duplicates) {
        if (each.size() == 0) {
          // A delete (which takes no dedup lock) removed the original between the two statements.
          return Future.failedFuture(new BusFailure(BusError.CONFLICT, "the memory this text duplicates was deleted "
            + "at the same moment; send the add again", "messages", null).toException());
        }
        outcomes.set(index, new InsertOutcome(PgRows.memory(each.iterator().next()), InsertOutcome.NONE));
        each = each.next();
      }
      return Future.succeededFuture(outcomes);
    });
  }

  private static MemoryRecord withoutVector(MemoryRecord r) {
    return new MemoryRecord(r.id(), r.text(), r.hash(), r.scope(), r.actorId(), r.role(), r.metadata(),
      r.createdAt(), r.updatedAt(), null);
  }

  @Override
  public Future<UpdateOutcome> update(MemoryPatch patch) {
    if (patch.vector() != null && patch.vector().length != embedding.dimension()) {
      return Future.failedFuture(BusFailure.badInput("vector", "vector of " + embedding.dimension()
        + " dimensions required").toException());
    }
    return guarded(PgFailures.retryingConflicts(() -> pool.withTransaction(conn -> conn
      .preparedQuery(PgSql.GET_FOR_UPDATE).execute(Tuple.of(patch.id()))
      .compose(rows -> {
        if (rows.size() == 0) {
          return Future.failedFuture(BusFailure.notFound("no memory with id " + patch.id()).toException());
        }
        return updateLocked(conn, PgRows.memory(rows.iterator().next()), patch);
      }))));
  }

  /** Writes a patch to a memory the transaction holds locked, with its UPDATE history row. */
  private static Future<UpdateOutcome> updateLocked(SqlConnection conn, MemoryRecord current, MemoryPatch patch) {
    MemoryRecord updated = patch.applyTo(current);
    Tuple change = Tuple.wrap(Arrays.asList(updated.id(), updated.text(), updated.hash(),
      updated.vector() == null ? null : PgRows.vectorText(updated.vector()), updated.metadata(),
      updated.updatedAt(), SearchableText.forKeywords(updated.text(), updated.actorId(), updated.createdAt())));
    HistoryEntry entry = new HistoryEntry(UUID.randomUUID().toString(), current.id(), current.text(),
      updated.text(), HistoryEntry.UPDATE, current.createdAt(), patch.at(), false, current.actorId(),
      current.role());
    return conn.preparedQuery(PgSql.UPDATE_MEMORY).execute(change)
      .compose(done -> conn.preparedQuery(PgSql.INSERT_HISTORY).execute(historyTuple(entry, current.scope())))
      .map(done -> new UpdateOutcome(withoutVector(updated), current.text()));
  }

  /**
   * One transaction: the dedup locks of the added texts, then the changed memories locked and checked (present, in
   * the scope), the added ids checked unused, and only then every change in order. Any refusal rolls it all back.
   */
  @Override
  public Future<List<ChangeOutcome>> apply(Scope scope, List<Change> changes) {
    BusFailure refusal = ChangeChecks.refusal(changes, embedding.dimension());
    if (refusal != null) {
      return Future.failedFuture(refusal.toException());
    }
    List<MemoryRecord> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (Change change : changes) {
      if (change instanceof Change.Add add) {
        added.add(add.record());
      } else {
        changed.add(change.id());
      }
    }
    if (changes.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return guarded(PgFailures.retryingConflicts(() -> pool.withTransaction(conn -> lockScopesAndTexts(conn, added)
      .compose(locked -> conn.preparedQuery(PgSql.GET_MANY_FOR_UPDATE).execute(Tuple.of(changed.toArray(new String[0]))))
      .compose(rows -> {
        Map<String, MemoryRecord> current = new HashMap<>();
        rows.forEach(row -> current.put(row.getString("id"), PgRows.memory(row)));
        for (String id : changed) {
          MemoryRecord memory = current.get(id);
          if (memory == null || !scope.covers(memory.scope())) {
            return Future.failedFuture(BusFailure.conflict("memory " + id + " was deleted or changed while the add "
              + "ran; nothing was written, send the add again").toException());
          }
        }
        return conn.preparedQuery(PgSql.IDS_IN_USE).execute(Tuple.of(added.stream().map(MemoryRecord::id)
          .toArray(String[]::new))).compose(inUse -> {
            if (inUse.size() > 0) {
              return Future.failedFuture(BusFailure.badInput("changes", "memory " + inUse.iterator().next()
                .getString("id") + " already exists").toException());
            }
            return applyInOrder(conn, changes, current);
          });
      }))));
  }

  private Future<List<ChangeOutcome>> applyInOrder(SqlConnection conn, List<Change> changes,
                                                   Map<String, MemoryRecord> current) {
    List<ChangeOutcome> outcomes = new ArrayList<>(changes.size());
    Future<Void> chain = Future.succeededFuture();
    for (Change change : changes) {
      chain = chain.compose(v -> (switch (change) {
        case Change.Add add -> conn.preparedQuery(PgSql.INSERT_MEMORY).execute(insertTuples(List.of(add.record())).get(0))
          .compose(rows -> outcomes(conn, List.of(add.record()), rows))
          .map(inserted -> new ChangeOutcome(inserted.get(0).event(), inserted.get(0).record(), null));
        case Change.Update update -> updateLocked(conn, current.get(update.id()), update.patch())
          .map(updated -> new ChangeOutcome(HistoryEntry.UPDATE, updated.record(), updated.previousText()));
        case Change.Delete delete -> conn.preparedQuery(PgSql.DELETE_MEMORY)
          .execute(Tuple.of(delete.id(), UUID.randomUUID().toString(), delete.at()))
          .map(rows -> new ChangeOutcome(HistoryEntry.DELETE, PgRows.memory(rows.iterator().next()), null));
      }).map(outcome -> {
        outcomes.add(outcome);
        return (Void) null;
      }));
    }
    return chain.map(v -> outcomes);
  }

  private static Tuple historyTuple(HistoryEntry e, Scope scope) {
    return Tuple.wrap(Arrays.asList(e.id(), e.memoryId(), scope.userId(), scope.agentId(), scope.runId(),
      e.oldMemory(), e.newMemory(), e.event(), e.createdAt(), e.updatedAt(), e.isDeleted(), e.actorId(), e.role()));
  }

  @Override
  public Future<MemoryRecord> delete(String id, String at) {
    return guarded(pool.preparedQuery(PgSql.DELETE_MEMORY).execute(Tuple.of(id, UUID.randomUUID().toString(), at))
      .compose(rows -> rows.size() == 0
        ? Future.failedFuture(BusFailure.notFound("no memory with id " + id).toException())
        : Future.succeededFuture(PgRows.memory(rows.iterator().next()))));
  }

  @Override
  public Future<Integer> deleteScope(Scope scope) {
    return guarded(PgFailures.retryingConflicts(() -> pool.withTransaction(conn -> {
      SqlParams memoryParams = new SqlParams();
      String memories = PgSql.DELETE_SCOPE_MEMORIES + scopeCondition(scope, memoryParams);
      SqlParams historyParams = new SqlParams();
      String history = PgSql.DELETE_SCOPE_HISTORY + scopeCondition(scope, historyParams);
      return conn.preparedQuery(memories).execute(memoryParams.tuple())
        .compose(deleted -> conn.preparedQuery(history).execute(historyParams.tuple()).map(d -> deleted.rowCount()));
    })));
  }

  @Override
  public Future<Void> reset() {
    return guarded(PgFailures.retryingConflicts(() -> pool.withTransaction(conn -> conn.query(PgSql.LOCK_FOR_RESET)
      .execute().compose(locked -> conn.query(PgSql.RESET).execute()).mapEmpty())));
  }

  // ---- reads -------------------------------------------------------------------------------------------------

  @Override
  public Future<MemoryRecord> get(String id) {
    return guarded(pool.preparedQuery(PgSql.GET).execute(Tuple.of(id)).compose(rows -> rows.size() == 0
      ? Future.failedFuture(BusFailure.notFound("no memory with id " + id).toException())
      : Future.succeededFuture(PgRows.memory(rows.iterator().next()))));
  }

  @Override
  public Future<List<MemoryRecord>> list(Scope scope, Filter filter, int limit) {
    SqlParams params = new SqlParams();
    String condition = condition(scope, filter, params);
    String sql = PgSql.LIST.formatted(condition, params.add(limit));
    return guarded(pool.preparedQuery(sql).execute(params.tuple()).map(rows -> map(rows, PgRows::memory)));
  }

  @Override
  public Future<Long> count(Scope scope, Filter filter) {
    SqlParams params = new SqlParams();
    String sql = PgSql.COUNT.formatted(condition(scope, filter, params));
    return guarded(pool.preparedQuery(sql).execute(params.tuple()).map(rows -> rows.iterator().next().getLong(0)));
  }

  @Override
  public Future<List<ScoredMemory>> search(SearchQuery query) {
    Future<List<ScoredMemory>> results = switch (query.mode()) {
      case VECTOR -> vectorSearch(query);
      case KEYWORD -> keywordSearch(query);
      case HYBRID -> hybridSearch(query);
    };
    return guarded(results);
  }

  /**
   * The vector ranking and the full-text ranking, {@code depth} hits each, fused by the same {@link HybridFusion}
   * as the embedded store; the threshold applies to each result's cosine.
   */
  private Future<List<ScoredMemory>> hybridSearch(SearchQuery query) {
    int depth = fusion.depth(query.limit());
    SearchQuery wide = new SearchQuery(query.scope(), query.vector(), query.text(), query.filter(), depth, null,
      query.mode(), false);
    Future<List<ScoredMemory>> byVector = vectorSearch(wide);
    Future<List<Row>> byKeyword = keywordRows(query, depth);
    return Future.all(byVector, byKeyword).map(both -> {
      Map<String, MemoryRecord> records = new HashMap<>();
      Map<String, HybridFusion.Candidate> candidates = new LinkedHashMap<>();
      List<ScoredMemory> vectorHits = byVector.result();
      for (int i = 0; i < vectorHits.size(); i++) {
        MemoryRecord record = vectorHits.get(i).record();
        records.put(record.id(), record);
        candidates.put(record.id(), new HybridFusion.Candidate(record.id(), vectorHits.get(i).score(), i + 1, null,
          0, record.actorId(), record.createdAt()));
      }
      List<Row> keywordHits = byKeyword.result();
      for (int i = 0; i < keywordHits.size(); i++) {
        Row row = keywordHits.get(i);
        MemoryRecord record = PgRows.memory(row);
        records.putIfAbsent(record.id(), record);
        HybridFusion.Candidate known = candidates.get(record.id());
        candidates.put(record.id(), new HybridFusion.Candidate(record.id(),
          known != null ? known.vector() : row.getDouble("cosine"), known != null ? known.vectorRank() : 0,
          row.getDouble("score"), i + 1, record.actorId(), record.createdAt()));
      }
      List<ScoredMemory> results = new ArrayList<>();
      for (HybridFusion.Fused fused : fusion.fuse(query.text(), new ArrayList<>(candidates.values()))) {
        if (results.size() == query.limit()) {
          break;
        }
        if (query.threshold() != null && (fused.vector() == null || fused.vector() < query.threshold())) {
          continue;
        }
        results.add(new ScoredMemory(records.get(fused.id()), fused.score(),
          query.explain() ? HybridFusion.explain(fused) : null));
      }
      return results;
    });
  }

  /** The best {@code limit} memories by BM25, each with its cosine to the query vector (for fusion). */
  private Future<List<Row>> keywordRows(SearchQuery query, int limit) {
    return bm25(query, limit, true).map(rows -> map(rows, row -> row));
  }

  private Future<List<ScoredMemory>> vectorSearch(SearchQuery query) {
    if (query.vector() == null || query.vector().length != embedding.dimension()) {
      return Future.failedFuture(BusFailure.badInput("vector", "vector of " + embedding.dimension()
        + " dimensions required").toException());
    }
    return pool.withTransaction(conn -> searchPath.nearest(conn, query.scope(), query.filter(), query.vector(),
        query.limit()))
      .map(rows -> withThreshold(map(rows, row -> explained(scored(row), query.explain(), "vector")),
        query.threshold()));
  }

  private static List<ScoredMemory> withThreshold(List<ScoredMemory> found, Double threshold) {
    return threshold == null ? found : found.stream().filter(hit -> hit.score() >= threshold).toList();
  }

  /** No query vector is compared here, so no similarity for a threshold: keyword mode ignores it, as Lucene's. */
  private Future<List<ScoredMemory>> keywordSearch(SearchQuery query) {
    return bm25(query, query.limit(), false)
      .map(rows -> map(rows, row -> explained(scored(row), query.explain(), "keyword")));
  }

  /**
   * The best {@code limit} memories by BM25 ({@link PgSql#SEARCH_BM25}), with each one's cosine for hybrid search;
   * none when the query has no text. The query's words and the condition appear twice in the statement, with the
   * same placeholders.
   */
  private Future<RowSet<Row>> bm25(SearchQuery query, int limit, boolean withCosine) {
    if (query.text() == null || query.text().isBlank()) {
      return Future.succeededFuture(null);
    }
    SqlParams params = new SqlParams();
    String words = params.add(query.text());
    String condition = condition(query.scope(), query.filter(), params);
    String top = params.add(limit);
    String cosine = withCosine ? PgSql.WITH_COSINE.formatted(params.add(PgRows.vectorText(query.vector())))
      : PgSql.NO_COSINE;
    String sql = PgSql.SEARCH_BM25.formatted(words, words, condition, condition, top, cosine);
    return pool.preparedQuery(sql).execute(params.tuple());
  }

  /** With {@code explain}, the score's one part under its name (vector or keyword), as the embedded store gives. */
  private static ScoredMemory explained(ScoredMemory hit, boolean explain, String part) {
    return explain ? new ScoredMemory(hit.record(), hit.score(), new JsonObject().put(part, hit.score())) : hit;
  }

  private static ScoredMemory scored(Row row) {
    return new ScoredMemory(PgRows.memory(row), row.getDouble("score"));
  }

  @Override
  public Future<List<HistoryEntry>> history(String memoryId) {
    return guarded(pool.preparedQuery(PgSql.HISTORY_OF).execute(Tuple.of(memoryId, MAX_HISTORY))
      .map(rows -> map(rows, PgRows::history)));
  }

  @Override
  public Future<JsonObject> health() {
    JsonObject health = new JsonObject()
      .put("store", name())
      .put("database", config.where())
      .put("embedding_model", embedding.model())
      .put("embedding_dimension", embedding.dimension())
      .put("pgvector", server == null ? null : server.vectorVersion())
      .put("iterative_scan", server != null && server.iterativeScan());
    return pool.query(PgSql.COUNTS).execute()
      .map(rows -> {
        Row row = rows.iterator().next();
        return health.put("status", "UP").put("memories", row.getLong("memories"))
          .put("history_rows", row.getLong("history_rows"));
      })
      .recover(err -> Future.succeededFuture(health.put("status", "DOWN")
        .put("reason", PgFailures.toBusFailure(err, config.where()).getMessage())));
  }

  @Override
  public Future<Void> close() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  private String condition(Scope scope, Filter filter, SqlParams params) {
    return PgConditions.condition(scope, filter, server.icu(), params);
  }

  private static String scopeCondition(Scope scope, SqlParams params) {
    return PgConditions.scope(scope, params);
  }

  /** The rows, each mapped; none for a null row set (a search that had nothing to ask). */
  private static <T> List<T> map(RowSet<Row> rows, Function<Row, T> mapper) {
    if (rows == null) {
      return List.of();
    }
    List<T> out = new ArrayList<>(rows.size());
    rows.forEach(row -> out.add(mapper.apply(row)));
    return out;
  }

  /** Every operation's failure passes through here: PostgreSQL being away becomes a 503 naming the store. */
  private <T> Future<T> guarded(Future<T> operation) {
    return operation.recover(err -> PgFailures.translate(err, config.where()));
  }
}
