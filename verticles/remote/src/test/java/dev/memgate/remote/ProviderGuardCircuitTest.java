package dev.memgate.remote;

import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailure;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

import static dev.memgate.remote.FakeProvider.status;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The circuit of {@link ProviderGuard}: after {@code maxFailures} transient failures it opens, and calls then fail
 * at once with a 503 naming the provider, without reaching it; after {@code resetTimeoutMs} one trial call goes
 * through, closing the circuit when it succeeds and opening it again when it fails. A provider that rejects the
 * request (a bad key) is a configuration mistake and never opens it. Real timers, a provider on a real HTTP port.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ProviderGuardCircuitTest {
  private static final String DEPENDENCY = "embedding:fake";
  /** Short, so that a test sees the circuit half-open; long enough that a call right after opening is refused. */
  private static final long RESET_MS = 500;

  private Vertx vertx;
  private Context context;
  private FakeProvider provider;
  private LongFunction<Future<JsonObject>> attempt;

  @BeforeEach
  void startProvider(Vertx vertx, VertxTestContext started) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.provider = new FakeProvider();
    this.attempt = provider.attempt(WebClient.create(vertx), 5_000);
    provider.start(vertx).onComplete(started.succeedingThenComplete());
  }

  private ProviderGuard guard(int maxRetries, int maxFailures, long resetTimeoutMs) {
    return new ProviderGuard(vertx, DEPENDENCY, "embedding provider fake at " + provider.url(),
      new GuardOptions(5_000, maxRetries, maxFailures, resetTimeoutMs, 10, 10));
  }

  /** Calls through the guard on one event-loop context, as the verticle that owns a guard does. */
  private Future<JsonObject> call(ProviderGuard guard) {
    Promise<JsonObject> result = Promise.promise();
    context.runOnContext(v -> guard.call(attempt).onComplete(result));
    return result.future();
  }

  /** Completes once the circuit is in {@code state}, which its own timer brings about; fails if it never is. */
  private Future<Void> whenCircuitIs(ProviderGuard guard, CircuitBreakerState state) {
    Promise<Void> reached = Promise.promise();
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    vertx.setPeriodic(10, timer -> {
      if (guard.state() == state) {
        vertx.cancelTimer(timer);
        reached.tryComplete();
      } else if (System.nanoTime() > giveUp) {
        vertx.cancelTimer(timer);
        reached.tryFail(new AssertionError("the circuit never became " + state + "; it is " + guard.state()));
      }
    });
    return reached.future();
  }

  /** The 503 a caller gets while the circuit is open. */
  private static void assertRefusedByTheOpenCircuit(Throwable failure, String lastFailure) {
    BusFailure refused = BusFailure.from(failure);
    assertThat(refused.error()).isEqualTo(BusError.UNAVAILABLE);
    assertThat(refused.error().httpStatus()).isEqualTo(503);
    assertThat(refused.dependency()).isEqualTo(DEPENDENCY);
    assertThat(refused.detail()).startsWith("embedding provider fake at ").contains("circuit is open")
      .contains("(last: " + lastFailure).contains("then one trial call is let through");
  }

  /** A call made only to fail, without a stake in how. */
  private static Future<Void> failed(Future<?> call) {
    return refusal(call).mapEmpty();
  }

  /** Why a call that had to fail failed; a call that succeeded fails the chain instead. */
  private static Future<Throwable> refusal(Future<?> call) {
    return call.transform(done -> done.failed() ? Future.succeededFuture(done.cause())
      : Future.failedFuture(new AssertionError("the call should have failed, and answered " + done.result())));
  }

  @Test
  void afterMaxFailuresTheCircuitOpensAndCallsFailAtOnceWithoutReachingTheProvider(VertxTestContext testContext) {
    provider.then(status(500), status(502));
    ProviderGuard guard = guard(0, 2, 60_000);
    failed(call(guard))
      .compose(v -> {
        assertThat(guard.state()).as("after one failure of two").isEqualTo(CircuitBreakerState.CLOSED);
        return failed(call(guard));
      })
      .compose(v -> {
        assertThat(guard.state()).isEqualTo(CircuitBreakerState.OPEN);
        return refusal(call(guard));
      })
      .onComplete(testContext.succeeding(refused -> testContext.verify(() -> {
        assertRefusedByTheOpenCircuit(refused, "answered HTTP 502");
        assertThat(provider.requests()).as("the open circuit kept the call from the provider").isEqualTo(2);
        JsonObject health = guard.health();
        assertThat(health.getString("state")).isEqualTo("OPEN");
        assertThat(health.getLong("calls")).isEqualTo(3);
        assertThat(health.getLong("attempts")).isEqualTo(3);
        assertThat(health.getLong("refused_while_open")).isEqualTo(1);
        assertThat(health.getLong("failed_calls")).isEqualTo(3);
        assertThat(health.getString("last_failure")).contains("HTTP 502");
        assertThat(health.getString("last_failure_at")).isNotBlank();
        testContext.completeNow();
      })));
  }

  @Test
  void rejectedRequestsNeverOpenTheCircuit(VertxTestContext testContext) {
    provider.then(status(401), status(401), status(401), status(401), status(404));
    ProviderGuard guard = guard(0, 2, 60_000);
    failed(call(guard))
      .compose(v -> failed(call(guard)))
      .compose(v -> failed(call(guard)))
      .compose(v -> failed(call(guard)))
      .compose(v -> failed(call(guard)))
      .onComplete(testContext.succeeding(v -> testContext.verify(() -> {
        assertThat(guard.state()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(provider.requests()).as("every call reached the provider").isEqualTo(5);
        assertThat(guard.health().getLong("refused_while_open")).isZero();
        testContext.completeNow();
      })));
  }

  /** Every attempt goes through the circuit: once it opens, a call still retrying stops there. */
  @Test
  void anOpenCircuitEndsARetryLoop(VertxTestContext testContext) {
    provider.then(status(503), status(503), status(503), status(503), status(503), status(503));
    ProviderGuard guard = guard(5, 2, 60_000);
    refusal(call(guard)).onComplete(testContext.succeeding(failure -> testContext.verify(() -> {
      assertRefusedByTheOpenCircuit(failure, "answered HTTP 503");
      assertThat(BusFailure.from(failure).detail()).endsWith("(after 3 attempts)");
      assertThat(provider.requests()).isEqualTo(2);
      testContext.completeNow();
    })));
  }

  @Test
  void afterTheResetTimeoutASuccessfulTrialCallClosesTheCircuit(VertxTestContext testContext) {
    provider.then(status(500));
    ProviderGuard guard = guard(0, 1, RESET_MS);
    failed(call(guard))
      .compose(v -> refusal(call(guard)))
      .compose(refused -> {
        assertRefusedByTheOpenCircuit(refused, "answered HTTP 500");
        assertThat(provider.requests()).isEqualTo(1);
        return whenCircuitIs(guard, CircuitBreakerState.HALF_OPEN);
      })
      // The provider answers again: the script is used up.
      .compose(v -> call(guard))
      .onComplete(testContext.succeeding(answer -> testContext.verify(() -> {
        assertThat(answer.getString("answer")).isEqualTo("fine");
        assertThat(guard.state()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(guard.health().getInteger("recent_failures")).isZero();
        assertThat(provider.requests()).isEqualTo(2);
        testContext.completeNow();
      })));
  }

  @Test
  void aFailedTrialCallOpensTheCircuitAgain(VertxTestContext testContext) {
    provider.then(status(500), status(503));
    ProviderGuard guard = guard(0, 1, RESET_MS);
    failed(call(guard))
      .compose(v -> whenCircuitIs(guard, CircuitBreakerState.HALF_OPEN))
      .compose(v -> failed(call(guard)))
      .compose(v -> {
        assertThat(guard.state()).isEqualTo(CircuitBreakerState.OPEN);
        return refusal(call(guard));
      })
      .onComplete(testContext.succeeding(refused -> testContext.verify(() -> {
        assertRefusedByTheOpenCircuit(refused, "answered HTTP 503");
        assertThat(provider.requests()).as("the trial call only").isEqualTo(2);
        testContext.completeNow();
      })));
  }
}
