package dev.memgate.vector.pgvector;

import dev.memgate.contract.RequiredConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * How to reach PostgreSQL and how to search it, from the vector verticle's {@code pgvector} configuration:
 * {@code url} (a {@code postgresql://} URL) or {@code host}, {@code port}, {@code database}, {@code user},
 * {@code password}; then {@code pool_size}, {@code connect_timeout_ms}, {@code ef_search},
 * {@code exact_search_below} and {@code max_scan_tuples}. When both are given the URL wins, and the separate values
 * fill in what it leaves out (as libpq does with the PG* variables).
 *
 * @param where host:port/database, for messages: never the password
 */
record PgStoreConfig(PgConnectOptions connect, String where, int poolSize, int connectTimeoutMs, int efSearch,
                     int exactSearchBelow, int maxScanTuples) {

  static PgStoreConfig from(JsonObject json) {
    RequiredConfig config = RequiredConfig.of("pgvector store", json);
    String url = config.text("url");
    PgConnectOptions connect = url.isEmpty() ? fromParts(config) : fromUrl(url, config);
    connect.setCachePreparedStatements(true)
      .setPreparedStatementCacheMaxSize(512)
      .setPreparedStatementCacheSqlLimit(16_384);
    if (connect.getSslMode() == SslMode.REQUIRE || connect.getSslMode() == SslMode.PREFER
      || connect.getSslMode() == SslMode.ALLOW) {
      // As libpq: these modes encrypt without verifying the server (Supabase's certificates are not from a public
      // CA). verify-ca and verify-full check against the JVM's trust store.
      connect.setSslOptions(new ClientSSLOptions().setTrustAll(true).setHostnameVerificationAlgorithm(""));
    } else if (connect.getSslMode() == SslMode.VERIFY_FULL) {
      connect.setSslOptions(new ClientSSLOptions().setHostnameVerificationAlgorithm("HTTPS"));
    }
    String where = connect.getHost() + ":" + connect.getPort() + "/" + connect.getDatabase();
    return new PgStoreConfig(connect, where,
      config.integer("pool_size"),
      config.integer("connect_timeout_ms"),
      config.integer("ef_search"),
      config.integer("exact_search_below"),
      config.integer("max_scan_tuples"));
  }

  private static PgConnectOptions fromParts(RequiredConfig config) {
    String host = config.text("host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("pgvector: no database given (set DATABASE_URL, or PGHOST and friends)");
    }
    return new PgConnectOptions()
      .setHost(host)
      .setPort(config.integer("port"))
      .setDatabase(nonEmpty(config, "database", "PGDATABASE"))
      .setUser(nonEmpty(config, "user", "PGUSER"))
      .setPassword(config.text("password"));
  }

  private static PgConnectOptions fromUrl(String url, RequiredConfig config) {
    URI uri;
    PgConnectOptions connect;
    try {
      uri = new URI(url);
      connect = PgConnectOptions.fromUri(url);
    } catch (URISyntaxException | IllegalArgumentException e) {
      // The URL may hold a password: never repeat it.
      throw new IllegalArgumentException("pgvector: the database URL is not a valid postgresql:// URL");
    }
    String userInfo = uri.getRawUserInfo();
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    if (userInfo == null && !query.contains("user=")) {
      connect.setUser(nonEmpty(config, "user", "PGUSER"));
    }
    if ((userInfo == null || !userInfo.contains(":")) && !query.contains("password=")) {
      connect.setPassword(config.text("password"));
    }
    String path = uri.getRawPath();
    if ((path == null || path.length() <= 1) && !query.contains("dbname=")) {
      connect.setDatabase(nonEmpty(config, "database", "PGDATABASE"));
    }
    if (uri.getPort() < 0 && !query.contains("port=")) {
      connect.setPort(config.integer("port"));
    }
    return connect;
  }

  /** A part the server needs, which neither the URL nor the separate value gives: refused, naming both. */
  private static String nonEmpty(RequiredConfig config, String key, String variable) {
    String value = config.text(key);
    if (value.isEmpty()) {
      throw new IllegalArgumentException("pgvector: no database " + key + " (set " + variable + ", or put it in "
        + "the database URL)");
    }
    return value;
  }
}
