package dev.memgate.gateway.testing;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * PostgreSQL with pgvector on the local server (127.0.0.1:5432 as postgres; gateway/bin/setup-pgvector installs
 * the extension): each fixture creates its own database with a random name and drops it in {@link #close}, so runs
 * and suites never see each other's rows. Any number of services may share one fixture (several nodes, one
 * database).
 */
public final class PgvectorStore implements StoreFixture {
  public static final String HOST = "127.0.0.1";
  public static final int PORT = 5432;
  public static final String USER = "postgres";

  // Hex digits only: a database name cannot be a parameter, so it never comes from anything but this.
  private final String database = "memgate_test_" + UUID.randomUUID().toString().replace("-", "");

  public PgvectorStore() {
    admin("CREATE DATABASE " + database);
    // The service enables the extension itself; doing it here too proves the server has pgvector, with a clear
    // message when it does not.
    try {
      sql("CREATE EXTENSION IF NOT EXISTS vector");
    } catch (RuntimeException e) {
      close();
      throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " has no pgvector: run "
        + "gateway/bin/setup-pgvector (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public String name() {
    return "pgvector";
  }

  public String database() {
    return database;
  }

  public String url() {
    return "postgresql://" + USER + "@" + HOST + ":" + PORT + "/" + database;
  }

  @Override
  public Map<String, String> environment(Path dataDir) {
    return Map.of("VECTOR_STORE", "pgvector", "DATABASE_URL", url());
  }

  /** Runs one statement on the fixture's database and returns its rows, for tests that look at the tables. */
  public List<JsonObject> sql(String statement, Object... params) {
    return onDatabase(database, statement, params);
  }

  /** Whether the server has a database of this name (a run that made one must have dropped it). */
  public static boolean databaseExists(String name) {
    return !onDatabase("postgres", "SELECT 1 FROM pg_database WHERE datname = $1", name).isEmpty();
  }

  @Override
  public void close() {
    admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  private static void admin(String statement) {
    onDatabase("postgres", statement);
  }

  private static List<JsonObject> onDatabase(String name, String statement, Object... params) {
    Vertx vertx = Vertx.vertx();
    try {
      SqlClient client = PgBuilder.client().connectingTo(new PgConnectOptions().setHost(HOST).setPort(PORT)
        .setUser(USER).setPassword("").setDatabase(name)).using(vertx).build();
      try {
        List<JsonObject> rows = new ArrayList<>();
        var result = params.length == 0 ? client.query(statement).execute().await()
          : client.preparedQuery(statement).execute(Tuple.wrap(List.of(params))).await();
        for (Row row : result) {
          rows.add(row.toJson());
        }
        return rows;
      } finally {
        client.close().await();
      }
    } finally {
      vertx.close().await();
    }
  }
}
