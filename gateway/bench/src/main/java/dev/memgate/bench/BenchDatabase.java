package dev.memgate.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;

import java.util.UUID;
import java.util.function.Function;

/**
 * The PostgreSQL database a pgvector run writes to. Either a fresh one, made on the local server for the run and
 * dropped afterwards unless kept, or one the user named, which must hold no memories yet (so that the figures are
 * those of a fresh store) and whose Memgate tables are emptied afterwards unless kept. Messages name the server and
 * the database, never a password.
 */
final class BenchDatabase {
  /** The machine's own server, as gateway/bin/setup-pgvector prepares it. */
  static final String LOCAL_HOST = "127.0.0.1";
  static final int LOCAL_PORT = 5432;
  static final String LOCAL_USER = "postgres";

  private final String url;
  private final PgConnectOptions connect;
  private final boolean fresh;

  private BenchDatabase(String url, boolean fresh) {
    this.url = url;
    this.connect = PgConnectOptions.fromUri(url);
    this.fresh = fresh;
  }

  /** A new database on the local server, with pgvector enabled. */
  static BenchDatabase createFresh() {
    // Hex digits only: a database name cannot be a parameter, so it never comes from anything but this.
    String name = "memgate_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    PgConnectOptions admin = new PgConnectOptions().setHost(LOCAL_HOST).setPort(LOCAL_PORT).setUser(LOCAL_USER)
      .setPassword("").setDatabase("postgres");
    try {
      on(admin, client -> client.query("CREATE DATABASE " + name).execute());
    } catch (RuntimeException e) {
      throw new BenchFailure("cannot create a database on PostgreSQL at " + LOCAL_HOST + ":" + LOCAL_PORT + " as "
        + LOCAL_USER + " (" + e.getMessage() + "); start it, or name an existing database with --database-url", e);
    }
    BenchDatabase database = new BenchDatabase("postgresql://" + LOCAL_USER + "@" + LOCAL_HOST + ":" + LOCAL_PORT
      + "/" + name, true);
    try {
      // The service would enable it too; doing it first turns a server without pgvector into a clear message.
      on(database.connect, client -> client.query("CREATE EXTENSION IF NOT EXISTS vector").execute());
    } catch (RuntimeException e) {
      database.finish(false);
      throw new BenchFailure("PostgreSQL at " + LOCAL_HOST + ":" + LOCAL_PORT + " cannot enable pgvector ("
        + e.getMessage() + "); run gateway/bin/setup-pgvector", e);
    }
    return database;
  }

  /** The database at {@code url}, refused when it already holds Memgate memories or history. */
  static BenchDatabase existing(String url) {
    BenchDatabase database;
    try {
      database = new BenchDatabase(url, false);
    } catch (RuntimeException e) {
      throw new BenchOptions.UsageException("--database-url is not a valid postgresql:// URL");
    }
    long rows;
    try {
      // Two statements: a missing table fails a statement that names it, even in a branch never taken.
      rows = on(database.connect, client -> hasMemgateTables(client).compose(present -> present
        ? client.query("SELECT (SELECT count(*) FROM memgate_memories) + (SELECT count(*) FROM memgate_history)")
          .execute().map(result -> result.iterator().next().getLong(0))
        : Future.succeededFuture(0L)));
    } catch (RuntimeException e) {
      throw new BenchFailure("cannot reach the database " + database.where() + " named by --database-url ("
        + e.getMessage() + ")", e);
    }
    if (rows > 0) {
      throw new BenchOptions.UsageException("--database-url: " + database.where() + " already holds Memgate "
        + "memories or history (" + rows + " rows); the benchmark needs one without, to measure a fresh store and "
        + "to empty its tables afterwards");
    }
    return database;
  }

  /** The URL the service connects with (holds the password when the user's URL does: never print it). */
  String url() {
    return url;
  }

  /** host:port/database, for messages. */
  String where() {
    return connect.getHost() + ":" + connect.getPort() + "/" + connect.getDatabase();
  }

  /** For the report: which database, and what became of it. */
  String describe(boolean keep) {
    if (fresh) {
      return "database " + where() + ", made for this run, " + (keep ? "kept (" + url + ")" : "dropped afterwards");
    }
    return "database " + where() + " (--database-url), its Memgate tables " + (keep ? "kept with the run's memories"
      : "emptied afterwards");
  }

  /** Drops the fresh database, or empties the named one's Memgate tables; nothing when kept. */
  void finish(boolean keep) {
    if (keep) {
      return;
    }
    if (fresh) {
      PgConnectOptions admin = new PgConnectOptions(connect).setDatabase("postgres");
      on(admin, client -> client.query("DROP DATABASE IF EXISTS " + connect.getDatabase() + " WITH (FORCE)")
        .execute());
    } else {
      on(connect, client -> hasMemgateTables(client).compose(present -> present
        ? client.query("TRUNCATE memgate_memories, memgate_history").execute()
        : Future.<RowSet<Row>>succeededFuture()));
    }
  }

  private static Future<Boolean> hasMemgateTables(SqlClient client) {
    return client.query("SELECT to_regclass('memgate_memories') IS NOT NULL AND to_regclass('memgate_history') IS NOT "
      + "NULL").execute().map(found -> found.iterator().next().getBoolean(0));
  }

  /** One short-lived client, for statements run once: its own Vert.x, closed before returning. */
  private static <T> T on(PgConnectOptions options, Function<SqlClient, Future<T>> work) {
    Vertx vertx = Vertx.vertx();
    try {
      SqlClient client = PgBuilder.client().connectingTo(options).using(vertx).build();
      try {
        return work.apply(client).await();
      } finally {
        client.close().await();
      }
    } finally {
      vertx.close().await();
    }
  }
}
