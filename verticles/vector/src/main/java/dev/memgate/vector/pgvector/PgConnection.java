package dev.memgate.vector.pgvector;

import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;

/**
 * How to reach the PostgreSQL server of the {@code pgvector} settings, for the other services that keep their data
 * beside the memories (the access service's keys and audit log): one reading of the URL, the libpq-style parts and
 * the TLS mode, in {@link PgStoreConfig}.
 */
public final class PgConnection {
  private PgConnection() {
  }

  /**
   * @param pgvector the vector verticle's {@code pgvector} configuration
   * @throws IllegalArgumentException naming what is missing or wrong, never the password
   */
  public static PgConnectOptions options(JsonObject pgvector) {
    return PgStoreConfig.from(pgvector).connect();
  }
}
