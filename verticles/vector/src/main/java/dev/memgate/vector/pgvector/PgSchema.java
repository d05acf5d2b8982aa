package dev.memgate.vector.pgvector;

import dev.memgate.vector.MemoryStore.EmbeddingSpec;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.IntFunction;

/**
 * Creates and migrates the tables at start-up. Everything happens in one transaction under an advisory lock, so
 * that several nodes starting together on one database queue up: the first migrates, the others find it done.
 * {@code memgate_schema} records the version and the embedding model and dimension the tables were built for.
 */
final class PgSchema {
  private static final Logger LOG = LoggerFactory.getLogger(PgSchema.class);

  /** Migration n (1-based) is element n-1; never edit one that has shipped, add the next. */
  private static final List<IntFunction<List<String>>> MIGRATIONS = List.of(PgSql::migrationV1);
  static final int LATEST = MIGRATIONS.size();

  /** What the server offers, read once the schema is in place. */
  record ServerFacts(String vectorVersion, boolean icu, boolean iterativeScan) {
  }

  private PgSchema() {
  }

  static Future<ServerFacts> migrate(Pool pool, EmbeddingSpec spec, String where) {
    return pool.withTransaction(conn -> conn.query(PgSql.LOCK_MIGRATION).execute()
      .compose(locked -> ensureExtension(conn, where))
      .compose(extension -> conn.query(PgSql.CREATE_SCHEMA_TABLE).execute())
      .compose(created -> conn.query(PgSql.READ_SCHEMA).execute())
      .compose(rows -> upgrade(conn, rows, spec, where))
      .compose(done -> conn.query(PgSql.COLUMN_DIMENSION).execute())
      .compose(rows -> checkColumn(rows, spec, where))
      .compose(done -> facts(conn)));
  }

  private static Future<Void> ensureExtension(SqlConnection conn, String where) {
    return conn.query(PgSql.VECTOR_VERSION).execute().compose(rows -> {
      if (rows.size() > 0) {
        return Future.succeededFuture();
      }
      return conn.query(PgSql.CREATE_EXTENSION).execute().<Void>mapEmpty().recover(err -> Future.failedFuture(
        new IllegalStateException("PostgreSQL at " + where + " cannot enable pgvector (CREATE EXTENSION vector: "
          + message(err) + "); install pgvector on the server (gateway/bin/setup-pgvector does it on Debian) or "
          + "enable the vector extension as a superuser (Supabase: Database > Extensions)")));
    });
  }

  private static Future<Void> upgrade(SqlConnection conn, RowSet<Row> rows, EmbeddingSpec spec, String where) {
    int current = 0;
    if (rows.size() > 0) {
      Row row = rows.iterator().next();
      current = row.getInteger("version");
      String model = row.getString("embedding_model");
      int dimension = row.getInteger("embedding_dimension");
      if (!model.equals(spec.model()) || dimension != spec.dimension()) {
        return Future.failedFuture(mismatch(where, model, dimension, spec));
      }
      if (current > LATEST) {
        return Future.failedFuture(new IllegalStateException("the PostgreSQL store at " + where + " has schema "
          + "version " + current + ", newer than this Memgate knows (" + LATEST + "): upgrade Memgate"));
      }
    }
    if (current == LATEST) {
      return Future.succeededFuture();
    }
    LOG.info("migrating the PostgreSQL store at {} from schema version {} to {}", where, current, LATEST);
    Future<Void> applied = Future.succeededFuture();
    for (int version = current + 1; version <= LATEST; version++) {
      for (String statement : MIGRATIONS.get(version - 1).apply(spec.dimension())) {
        applied = applied.compose(v -> conn.query(statement).execute().mapEmpty());
      }
    }
    return applied.compose(v -> conn.preparedQuery(PgSql.WRITE_SCHEMA)
      .execute(Tuple.of(LATEST, spec.model(), spec.dimension())).mapEmpty());
  }

  /** The recorded dimension is a claim; the column's type is the fact. */
  private static Future<Void> checkColumn(RowSet<Row> rows, EmbeddingSpec spec, String where) {
    if (rows.size() == 0) {
      return Future.failedFuture(new IllegalStateException("the PostgreSQL store at " + where + " has no "
        + PgSql.MEMORIES + ".embedding column although memgate_schema says it is migrated"));
    }
    int dimension = rows.iterator().next().getInteger("atttypmod");
    if (dimension != spec.dimension()) {
      return Future.failedFuture(mismatch(where, "(unknown)", dimension, spec));
    }
    return Future.succeededFuture();
  }

  private static IllegalStateException mismatch(String where, String model, int dimension, EmbeddingSpec spec) {
    return new IllegalStateException("the PostgreSQL store at " + where + " was built for embedding model " + model
      + " (" + dimension + " dimensions) but the configured embedder is " + spec.model() + " (" + spec.dimension()
      + " dimensions); use the same embedder, or another database");
  }

  /** What the server offers; the store reads it once its tables are in place. */
  static Future<ServerFacts> facts(SqlClient conn) {
    return conn.query(PgSql.VECTOR_VERSION).execute().compose(version -> conn.query(PgSql.HAS_ICU).execute()
      .map(icu -> {
        String vectorVersion = version.iterator().next().getString(0);
        return new ServerFacts(vectorVersion, icu.iterator().next().getBoolean(0), atLeast(vectorVersion, 0, 8));
      }));
  }

  static boolean atLeast(String version, int major, int minor) {
    String[] parts = version.split("\\.");
    int actualMajor = Integer.parseInt(parts[0]);
    int actualMinor = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D.*", "")) : 0;
    return actualMajor > major || (actualMajor == major && actualMinor >= minor);
  }

  private static String message(Throwable err) {
    return err instanceof PgException pg ? pg.getErrorMessage() : String.valueOf(err.getMessage());
  }
}
