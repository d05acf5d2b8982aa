package dev.memgate.graph.store;

import dev.memgate.contract.BusFailure;
import dev.memgate.contract.UpstreamText;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.async.AsyncSession;
import org.neo4j.driver.async.AsyncTransactionCallback;
import org.neo4j.driver.async.ResultCursor;
import org.neo4j.driver.exceptions.AuthenticationException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;
import org.neo4j.driver.exceptions.TransientException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The Bolt driver's async API bridged onto the verticle's context: each unit of work runs in its own session (which
 * is always closed, whatever happened), its stages complete on the driver's threads and come back to the context,
 * and a store that cannot be reached becomes an {@code UNAVAILABLE} failure naming the graph.
 */
final class Bolt {
  static final String DEPENDENCY = "graph";

  private final Driver driver;
  private final SessionConfig sessions;
  private final Context context;
  private final String where;

  Bolt(Driver driver, String database, Context context, String where) {
    this.driver = driver;
    this.sessions = database == null || database.isBlank() ? SessionConfig.defaultConfig()
      : SessionConfig.forDatabase(database);
    this.context = context;
    this.where = where;
  }

  <T> Future<T> read(AsyncTransactionCallback<CompletionStage<T>> work) {
    return inSession(session -> session.executeReadAsync(work));
  }

  <T> Future<T> write(AsyncTransactionCallback<CompletionStage<T>> work) {
    return inSession(session -> session.executeWriteAsync(work));
  }

  /** One read query, all its records. */
  Future<List<Record>> readAll(String cypher, Map<String, Object> parameters) {
    return read(tx -> tx.runAsync(cypher, parameters).thenCompose(ResultCursor::listAsync));
  }

  private <T> Future<T> inSession(java.util.function.Function<AsyncSession, CompletionStage<T>> work) {
    AsyncSession session;
    try {
      session = driver.session(AsyncSession.class, sessions);
    } catch (RuntimeException e) {
      return Future.failedFuture(translate(e));
    }
    CompletionStage<T> stage;
    try {
      stage = work.apply(session);
    } catch (RuntimeException e) {
      stage = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    return Future.fromCompletionStage(stage, context)
      .eventually(() -> Future.fromCompletionStage(session.closeAsync(), context).recover(ignored ->
        Future.succeededFuture()))
      .recover(err -> Future.failedFuture(translate(err)));
  }

  /**
   * Unreachable, restarting or refusing us: the store is away (503, outbox), with the driver's message summarised
   * without credentials; anything else is a bug of ours.
   */
  Throwable translate(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
      : failure;
    if (isUnavailable(cause)) {
      return BusFailure.unavailable(DEPENDENCY, "the graph store at " + where + " is unavailable: "
        + UpstreamText.summary(cause.getMessage())).toException();
    }
    return cause;
  }

  static boolean isUnavailable(Throwable cause) {
    return cause instanceof ServiceUnavailableException || cause instanceof SessionExpiredException
      || cause instanceof TransientException || cause instanceof AuthenticationException
      || cause instanceof java.net.ConnectException;
  }
}
