package dev.memgate.vector.pgvector;

import dev.memgate.contract.BusFailure;
import dev.memgate.contract.BusFailureException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Reads what went wrong with PostgreSQL: the server being away (refused, closed, shutting down, starting up, out of
 * connections) is {@code 503} naming the store, so that callers retry later; data PostgreSQL cannot keep is a 400;
 * anything else stays an internal error.
 */
final class PgFailures {
  static final String DEPENDENCY = "vector:pgvector";

  private PgFailures() {
  }

  /** Attempts a transaction that PostgreSQL may abort to break a deadlock or a serialization conflict. */
  private static final int CONFLICT_ATTEMPTS = 10;

  /**
   * Runs a write transaction, again when PostgreSQL aborted it as a deadlock victim (40P01) or for a serialization
   * conflict (40001): it was rolled back whole, so running it again is safe, and the conflict (a reset truncating
   * the tables while adds hold row locks) is over by then.
   */
  static <T> Future<T> retryingConflicts(Supplier<Future<T>> transaction) {
    return attempt(transaction, 1);
  }

  private static <T> Future<T> attempt(Supplier<Future<T>> transaction, int attempt) {
    return transaction.get().recover(err -> {
      if (attempt >= CONFLICT_ATTEMPTS || !isConflict(err)) {
        return Future.failedFuture(err);
      }
      // A jittered pause growing with each attempt (up to a quarter second), so that the two sides of a conflict do
      // not meet again at once, also on a loaded machine where a reset keeps meeting new adds.
      Context context = Vertx.currentContext();
      long pauseMs = Math.min(250L, 5L << attempt) + ThreadLocalRandom.current().nextLong(10);
      return context == null ? attempt(transaction, attempt + 1)
        : context.owner().timer(pauseMs).compose(v -> attempt(transaction, attempt + 1));
    });
  }

  static boolean isConflict(Throwable failure) {
    return failure instanceof PgException pg && ("40P01".equals(pg.getSqlState())
      || "40001".equals(pg.getSqlState()));
  }

  static <T> Future<T> translate(Throwable failure, String where) {
    return Future.failedFuture(toBusFailure(failure, where));
  }

  static Throwable toBusFailure(Throwable failure, String where) {
    if (failure instanceof BusFailureException) {
      return failure;
    }
    if (isUnavailable(failure)) {
      return BusFailure.unavailable(DEPENDENCY, "PostgreSQL at " + where + " is unavailable: " + reason(failure))
        .toException();
    }
    if (failure instanceof PgException pg && "22P05".equals(pg.getSqlState())) {
      // jsonb refuses \u0000 inside strings; RequestRules lets metadata values through unchecked.
      return BusFailure.badInput("metadata", "metadata holds a NUL character (\\u0000), which PostgreSQL cannot "
        + "store").toException();
    }
    return failure;
  }

  static boolean isUnavailable(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      // Any I/O failure of the client's socket ("Connection reset by peer" arrives as a bare IOException).
      if (cause instanceof ConnectException || cause instanceof ClosedConnectionException
        || cause instanceof SocketException || cause instanceof UnknownHostException
        || cause instanceof SSLException || cause instanceof IOException) {
        return true;
      }
      if (cause instanceof PgException pg && pg.getSqlState() != null) {
        String state = pg.getSqlState();
        // 08: connection exception; 57P01-57P03: admin/crash shutdown, cannot connect now; 53300: too many
        // connections; 28: invalid authorisation (a password changed under a running service).
        if (state.startsWith("08") || state.startsWith("57P") || state.equals("53300") || state.startsWith("28")) {
          return true;
        }
      }
      if (cause instanceof VertxException vertx && vertx.getMessage() != null) {
        String message = vertx.getMessage().toLowerCase(Locale.ROOT);
        if (message.contains("timeout waiting for connection") || message.contains("connection closed")
          || message.contains("connection refused") || message.contains("pool closed")) {
          return true;
        }
      }
    }
    return false;
  }

  private static String reason(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.length() > 200 ? message.substring(0, 200) + "..." : message;
  }
}
