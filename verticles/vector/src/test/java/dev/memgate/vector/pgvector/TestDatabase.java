package dev.memgate.vector.pgvector;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

import java.util.UUID;

/**
 * A fresh database on the local PostgreSQL (127.0.0.1:5432 as postgres, with pgvector installed by
 * gateway/bin/setup-pgvector), dropped again by {@link #close}.
 */
public final class TestDatabase implements AutoCloseable {
  static final String HOST = "127.0.0.1";
  static final int PORT = 5432;
  static final String USER = "postgres";

  private final Vertx vertx;
  // Generated from hex digits only: a database name cannot be a parameter, so it must never come from input.
  private final String name = "memgate_test_" + UUID.randomUUID().toString().replace("-", "");

  public TestDatabase(Vertx vertx) {
    this.vertx = vertx;
    admin("CREATE DATABASE " + name);
  }

  String name() {
    return name;
  }

  /**
   * The vector verticle's {@code pgvector} configuration for this database, complete as the composition root gives
   * it: the search settings are conf/memgate.yaml's defaults, which a test changes with {@code mergeIn}.
   */
  public JsonObject storeConfig() {
    return new JsonObject().put("url", "").put("host", HOST).put("port", PORT).put("database", name)
      .put("user", USER).put("password", "").put("pool_size", 4).put("connect_timeout_ms", 2_000)
      .put("ef_search", 100).put("exact_search_below", 10_000).put("max_scan_tuples", 20_000);
  }

  /** A client on this database, for looking at the tables directly. */
  Pool client() {
    return PgBuilder.pool().connectingTo(options(name)).using(vertx).build();
  }

  @Override
  public void close() {
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private void admin(String sql) {
    SqlClient admin = PgBuilder.client().connectingTo(options("postgres")).using(vertx).build();
    try {
      admin.query(sql).execute().await();
    } finally {
      admin.close().await();
    }
  }

  private static PgConnectOptions options(String database) {
    return new PgConnectOptions().setHost(HOST).setPort(PORT).setUser(USER).setPassword("").setDatabase(database);
  }
}
