package dev.memgate.bench;

import dev.memgate.gateway.config.Settings;
import dev.memgate.vector.MemoryStore;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.Map;

/**
 * PostgreSQL with pgvector: the service is pointed at a database of the run's own (or the one --database-url
 * names), and phase 4 sends the store's statements to it as raw SQL.
 */
final class PgVectorTarget implements StoreTarget {
  private final String databaseUrl;
  private final boolean keep;
  private BenchDatabase database;
  private Thread cleanUpOnExit;
  private String described;

  /**
   * @param databaseUrl an existing database, or null for a fresh one on the local server
   * @param keep        leave the database (and the memories) in place afterwards
   */
  PgVectorTarget(String databaseUrl, boolean keep) {
    this.databaseUrl = databaseUrl;
    this.keep = keep;
  }

  @Override
  public String name() {
    return "pgvector";
  }

  /** Also makes sure that a run stopped by Ctrl-C or a kill does not leave a database of 100,000 memories behind. */
  @Override
  public void prepare() {
    database = databaseUrl == null ? BenchDatabase.createFresh() : BenchDatabase.existing(databaseUrl);
    cleanUpOnExit = new Thread(this::finishDatabase, "bench-drop-database");
    Runtime.getRuntime().addShutdownHook(cleanUpOnExit);
  }

  @Override
  public Map<String, String> serviceEnvironment(Path dataDir) {
    return Map.of("VECTOR_STORE", "pgvector", "DATABASE_URL", database.url());
  }

  /** The store's statements through the same driver, to the same database, with the service's search settings. */
  @Override
  public DirectSearcher openDirect(Vertx vertx, Path dataDir, Settings settings,
                                   MemoryStore.EmbeddingSpec embedding) {
    return PgSqlSearcher.open(vertx, database.url(), settings);
  }

  @Override
  public synchronized String where() {
    return database != null ? database.describe(keep) : described;
  }

  @Override
  public void cleanUp() {
    if (cleanUpOnExit != null) {
      Runtime.getRuntime().removeShutdownHook(cleanUpOnExit);
    }
    finishDatabase();
  }

  private synchronized void finishDatabase() {
    if (database != null) {
      BenchDatabase finishing = database;
      database = null;
      finishing.finish(keep);
      described = finishing.describe(keep);
    }
  }
}
