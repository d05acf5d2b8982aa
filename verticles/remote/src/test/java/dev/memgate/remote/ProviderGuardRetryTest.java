package dev.memgate.remote;

import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailure;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import java.util.stream.Stream;

import static dev.memgate.remote.FakeProvider.notJson;
import static dev.memgate.remote.FakeProvider.silent;
import static dev.memgate.remote.FakeProvider.status;
import static dev.memgate.remote.FakeProvider.statusRetryingAtDateIn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures {@link ProviderGuard} retries and how: only those a later attempt may not meet (no connection, no
 * answer in time, 429, 5xx), at most {@code maxRetries} times, pausing with back-off or for as long as the provider's
 * Retry-After asks, and never past the whole call's deadline. Against a provider on a real HTTP port, with real
 * timers; the circuit is kept out of the way here (it opens only after many failures).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ProviderGuardRetryTest {
  private static final String DEPENDENCY = "llm:fake";
  /** Far more failures than any test here makes: the circuit never opens in this class. */
  private static final int NEVER_OPENS = 1_000;

  private Vertx vertx;
  private Context context;
  private WebClient client;
  private FakeProvider provider;

  @BeforeEach
  void startProvider(Vertx vertx, VertxTestContext started) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.client = WebClient.create(vertx);
    this.provider = new FakeProvider();
    provider.start(vertx).onComplete(started.succeedingThenComplete());
  }

  private ProviderGuard guard(long deadlineMs, int maxRetries, long initialBackoffMs, long maxBackoffMs) {
    return new ProviderGuard(vertx, DEPENDENCY, "LLM provider fake at " + provider.url(),
      new GuardOptions(deadlineMs, maxRetries, NEVER_OPENS, 60_000, initialBackoffMs, maxBackoffMs));
  }

  /** Calls through the guard on one event-loop context, as the verticle that owns a guard does. */
  private <T> Future<T> call(ProviderGuard guard, LongFunction<Future<T>> attempt) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> guard.call(attempt).onComplete(result));
    return result.future();
  }

  /** The failure as the bus carries it to the HTTP edge: a 503 naming the provider. */
  private static BusFailure unavailable(Throwable failure) {
    BusFailure typed = BusFailure.from(failure);
    assertThat(typed.error()).as(typed.detail()).isEqualTo(BusError.UNAVAILABLE);
    assertThat(typed.error().httpStatus()).isEqualTo(503);
    assertThat(typed.dependency()).isEqualTo(DEPENDENCY);
    return typed;
  }

  static Stream<Arguments> failures() {
    return Stream.of(
      Arguments.of(status(429), true, "HTTP 429"),
      Arguments.of(status(500), true, "HTTP 500"),
      Arguments.of(status(502), true, "HTTP 502"),
      Arguments.of(status(503), true, "HTTP 503"),
      Arguments.of(silent(), true, "no answer within the deadline"),
      Arguments.of(status(400), false, "HTTP 400"),
      Arguments.of(status(401), false, "check the API key"),
      Arguments.of(status(403), false, "HTTP 403"),
      Arguments.of(status(404), false, "check the base URL and the model name"),
      Arguments.of(status(422), false, "HTTP 422"),
      Arguments.of(notJson(), false, "not JSON"));
  }

  @ParameterizedTest(name = "{0}: retried {1}")
  @MethodSource("failures")
  void onlyFailuresALaterAttemptMayNotMeetAreRetried(FakeProvider.Answer answer, boolean retried, String reason,
                                                     VertxTestContext testContext) {
    provider.then(answer, answer);
    // An attempt gives up on a silent provider after 300 ms, well within the call's deadline.
    call(guard(5_000, 1, 20, 20), provider.attempt(client, 300)).onComplete(testContext.failing(failure ->
      testContext.verify(() -> {
        BusFailure refused = unavailable(failure);
        assertThat(refused.detail()).startsWith("LLM provider fake at " + provider.url() + ": ").contains(reason);
        assertThat(provider.requests()).as("attempts").isEqualTo(retried ? 2 : 1);
        if (retried) {
          assertThat(refused.detail()).endsWith("(after 2 attempts)");
        } else {
          assertThat(refused.detail()).doesNotContain("attempts");
        }
        testContext.completeNow();
      })));
  }

  @Test
  void aProviderNobodyListensOnIsRetried(VertxTestContext testContext) {
    AtomicInteger attempts = new AtomicInteger();
    vertx.createHttpServer().requestHandler(request -> request.response().end()).listen(0, "127.0.0.1")
      .compose(server -> {
        int port = server.actualPort();
        return server.close().map(port);
      })
      .compose(port -> call(guard(5_000, 2, 20, 20), left -> {
        attempts.incrementAndGet();
        return client.postAbs("http://127.0.0.1:" + port + "/v1/chat").timeout(left).send()
          .compose(HttpOutcome::json);
      }))
      .onComplete(testContext.failing(failure -> testContext.verify(() -> {
        assertThat(unavailable(failure).detail()).contains("unreachable").endsWith("(after 3 attempts)");
        assertThat(attempts).hasValue(3);
        testContext.completeNow();
      })));
  }

  @Test
  void aProviderThatRecoversWithinTheRetriesAnswersTheCall(VertxTestContext testContext) {
    provider.then(status(503), status(500));
    ProviderGuard guard = guard(5_000, 2, 20, 20);
    call(guard, provider.attempt(client, 5_000)).onComplete(testContext.succeeding(answer -> testContext.verify(() -> {
      assertThat(answer).isEqualTo(new JsonObject().put("answer", "fine"));
      assertThat(provider.requests()).isEqualTo(3);
      JsonObject health = guard.health();
      assertThat(health.getLong("calls")).isEqualTo(1);
      assertThat(health.getLong("attempts")).isEqualTo(3);
      assertThat(health.getLong("retries")).isEqualTo(2);
      assertThat(health.getLong("failed_calls")).isZero();
      assertThat(health.getString("last_failure")).contains("HTTP 500");
      testContext.completeNow();
    })));
  }

  @Test
  void noRetriesMeansOneAttempt(VertxTestContext testContext) {
    provider.then(status(503), status(503));
    call(guard(5_000, 0, 20, 20), provider.attempt(client, 5_000)).onComplete(testContext.failing(failure ->
      testContext.verify(() -> {
        assertThat(unavailable(failure).detail()).contains("HTTP 503").doesNotContain("attempts");
        assertThat(provider.requests()).isEqualTo(1);
        testContext.completeNow();
      })));
  }

  @Test
  void theRetriesEndAtMaxRetries(VertxTestContext testContext) {
    provider.then(status(500), status(500), status(500), status(500), status(500), status(500));
    ProviderGuard guard = guard(5_000, 3, 20, 20);
    call(guard, provider.attempt(client, 5_000)).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      assertThat(unavailable(failure).detail()).endsWith("(after 4 attempts)");
      assertThat(provider.requests()).isEqualTo(4);
      assertThat(guard.health().getLong("failed_calls")).isEqualTo(1);
      testContext.completeNow();
    })));
  }

  /**
   * The back-off is jittered below a cap, so only its floor can be checked exactly (a timer never fires early):
   * every pause lasts at least a quarter of the first step. With the cap as low as the first step, five retries fit
   * in a deadline that uncapped doubling (up to 3.2 s for the fifth) would very likely exceed.
   */
  @Test
  void theBackOffPausesAtLeastAQuarterOfItsFirstStepAndNeverMoreThanItsCap(VertxTestContext testContext) {
    provider.then(status(500), status(500), status(500), status(500), status(500), status(500));
    call(guard(5_000, 5, 100, 100), provider.attempt(client, 5_000)).onComplete(testContext.failing(failure ->
      testContext.verify(() -> {
        assertThat(unavailable(failure).detail()).endsWith("(after 6 attempts)");
        assertThat(provider.requests()).isEqualTo(6);
        for (int i = 1; i < 6; i++) {
          assertThat(provider.pauseBeforeMs(i)).as("pause before attempt %d", i + 1).isGreaterThanOrEqualTo(25);
        }
        testContext.completeNow();
      })));
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {429, 503})
  void aRetryAfterInSecondsIsWaitedFor(int status, VertxTestContext testContext) {
    provider.then(status(status, "1"));
    // The guard's own back-off would pause at most 20 ms.
    call(guard(5_000, 1, 20, 20), provider.attempt(client, 5_000)).onComplete(testContext.succeeding(answer ->
      testContext.verify(() -> {
        assertThat(provider.requests()).isEqualTo(2);
        assertThat(provider.pauseBeforeMs(1)).isGreaterThanOrEqualTo(1_000);
        testContext.completeNow();
      })));
  }

  @Test
  void aRetryAfterAsAnHttpDateIsWaitedFor(VertxTestContext testContext) {
    // Two seconds after the answer, to the second: at least one second from the moment the guard reads it.
    provider.then(statusRetryingAtDateIn(429, 2));
    call(guard(5_000, 1, 20, 20), provider.attempt(client, 5_000)).onComplete(testContext.succeeding(answer ->
      testContext.verify(() -> {
        assertThat(provider.requests()).isEqualTo(2);
        assertThat(provider.pauseBeforeMs(1)).isGreaterThanOrEqualTo(1_000);
        testContext.completeNow();
      })));
  }

  /** Waiting longer than the deadline allows would only fail later: the call fails at once, saying why. */
  @ParameterizedTest(name = "Retry-After: {0}")
  @ValueSource(strings = {"3600", "99999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT"})
  void aRetryAfterBeyondTheDeadlineFailsTheCallAtOnce(String retryAfter, VertxTestContext testContext) {
    provider.then(status(429, retryAfter));
    call(guard(2_000, 3, 20, 20), provider.attempt(client, 5_000)).onComplete(testContext.failing(failure ->
      testContext.verify(() -> {
        assertThat(unavailable(failure).detail()).contains("HTTP 429").contains("it asked to retry after")
          .contains("beyond the call's deadline");
        assertThat(provider.requests()).isEqualTo(1);
        testContext.completeNow();
      })));
  }

  /** A Retry-After the guard cannot read is no reason to stop: its own back-off applies. */
  @ParameterizedTest(name = "Retry-After: {0}")
  @ValueSource(strings = {"soon", "Infinity", "NaN", "-1", "1e2"})
  void anUnreadableRetryAfterFallsBackToTheBackOff(String retryAfter, VertxTestContext testContext) {
    provider.then(status(503, retryAfter));
    call(guard(5_000, 1, 20, 20), provider.attempt(client, 5_000)).onComplete(testContext.succeeding(answer ->
      testContext.verify(() -> {
        assertThat(provider.requests()).isEqualTo(2);
        assertThat(provider.pauseBeforeMs(1)).isLessThan(1_000);
        testContext.completeNow();
      })));
  }

  @Test
  void aSilentProviderFailsTheCallAtItsDeadlineWithNoTimeLeftToRetry(VertxTestContext testContext) {
    provider.then(silent(), silent());
    List<Long> given = new CopyOnWriteArrayList<>();
    LongFunction<Future<JsonObject>> attempt = provider.attempt(client, 60_000);
    long started = System.nanoTime();
    call(guard(400, 2, 20, 20), left -> {
      given.add(left);
      return attempt.apply(left);
    }).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(unavailable(failure).detail()).contains("no answer within the deadline")
        .contains("no time left to retry within the 400 ms deadline");
      assertThat(given).hasSize(1);
      assertThat(given.get(0)).isLessThanOrEqualTo(400);
      assertThat(tookMs).as("the call ended no earlier than its deadline").isGreaterThanOrEqualTo(350);
      testContext.completeNow();
    })));
  }

  /** The deadline covers the whole call: a retry gets what the first attempt and the pause left over. */
  @Test
  void eachAttemptIsGivenOnlyTheTimeLeftBeforeTheDeadline(VertxTestContext testContext) {
    provider.then(status(500));
    List<Long> given = new CopyOnWriteArrayList<>();
    LongFunction<Future<JsonObject>> attempt = provider.attempt(client, 60_000);
    call(guard(3_000, 1, 100, 100), left -> {
      given.add(left);
      return attempt.apply(left);
    }).onComplete(testContext.succeeding(answer -> testContext.verify(() -> {
      assertThat(given).hasSize(2);
      assertThat(given.get(0)).isBetween(2_900L, 3_000L);
      assertThat(given.get(1)).as("after a pause of at least 25 ms").isLessThanOrEqualTo(given.get(0) - 25);
      testContext.completeNow();
    })));
  }

  /** An attempt that ignores the time it was given is cut by the guard itself at the deadline. */
  @Test
  void anAttemptThatNeverEndsIsCutAtTheDeadline(VertxTestContext testContext) {
    call(guard(300, 0, 20, 20), left -> Promise.<JsonObject>promise().future())
      .onComplete(testContext.failing(failure -> testContext.verify(() -> {
        assertThat(unavailable(failure).detail()).contains("no answer within the deadline");
        testContext.completeNow();
      })));
  }

  /** A provider client that throws instead of failing its future is a broken reply, not a reason to retry. */
  @Test
  void anAttemptThatThrowsIsNotRetried(VertxTestContext testContext) {
    AtomicInteger attempts = new AtomicInteger();
    call(guard(5_000, 3, 20, 20), left -> {
      attempts.incrementAndGet();
      throw new IllegalArgumentException("no field 'choices'");
    }).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      assertThat(unavailable(failure).detail()).contains("answered something unusable")
        .contains("no field 'choices'");
      assertThat(attempts).hasValue(1);
      testContext.completeNow();
    })));
  }

  /** The provider's URL may hold a password; no failure shows it. */
  @Test
  void aPasswordInTheProvidersUrlIsNeverShown(VertxTestContext testContext) {
    ProviderGuard guard = new ProviderGuard(vertx, DEPENDENCY, "LLM provider fake at http://me:hunter2@127.0.0.1:9/v1",
      new GuardOptions(5_000, 0, NEVER_OPENS, 60_000, 20, 20));
    provider.then(status(500));
    call(guard, provider.attempt(client, 5_000)).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      assertThat(unavailable(failure).detail()).contains("http://me:***@127.0.0.1:9/v1").doesNotContain("hunter2");
      testContext.completeNow();
    })));
  }
}
