package dev.memgate.gateway.http;

import dev.memgate.access.Caller;
import dev.memgate.contract.BusError;
import dev.memgate.ratelimit.Budget;
import dev.memgate.ratelimit.Decision;
import dev.memgate.ratelimit.RateLimiter;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;

import java.util.Map;
import java.util.Set;

/**
 * Spends the caller's budget for the operation it calls, right after {@link Authentication} and before the body is
 * read, so that a flood is refused without buffering its bodies: 429 problem+json naming the budget, with
 * {@code Retry-After} and the IETF {@code RateLimit-Policy} / {@code RateLimit} headers, which every answer carries.
 * An add distilled by the LLM also spends an inference, once its validated body says so ({@link #inferences()}).
 */
final class RateLimiting implements PlatformHandler {
  /** Every operation of the contract, by the budget it spends; the service's own routes spend nothing. */
  private static final Map<String, Budget> BUDGETS = Map.ofEntries(
    Map.entry("getMemory", Budget.READS),
    Map.entry("listMemories", Budget.READS),
    Map.entry("searchMemories", Budget.READS),
    Map.entry("memoryHistory", Budget.READS),
    Map.entry("getGraph", Budget.READS),
    Map.entry("addMemories", Budget.WRITES),
    Map.entry("updateMemory", Budget.WRITES),
    Map.entry("deleteMemory", Budget.WRITES),
    Map.entry("deleteAllMemories", Budget.WRITES),
    Map.entry("resetMemories", Budget.WRITES),
    Map.entry("listKeys", Budget.READS),
    Map.entry("getKey", Budget.READS),
    Map.entry("auditLog", Budget.READS),
    Map.entry("listApps", Budget.READS),
    Map.entry("updateApp", Budget.WRITES),
    Map.entry("createKey", Budget.WRITES),
    Map.entry("revokeKey", Budget.WRITES),
    Map.entry("rotateKey", Budget.WRITES));
  private static final Set<String> FREE = Set.of("health", "healthLive", "healthReady", "getContract");
  private static final String SPENT = "memgate.rate-limit.spent";

  private final RateLimiter limiter;
  private final OpenAPIContract contract;
  private final boolean llmConfigured;

  /**
   * @param llmConfigured whether an LLM distils adds: without one an {@code infer: true} add is stored verbatim and
   *                      costs no inference
   * @throws IllegalStateException when a contract operation spends no declared budget (a build error)
   */
  RateLimiting(RateLimiter limiter, OpenAPIContract contract, boolean llmConfigured) {
    this.limiter = limiter;
    this.contract = contract;
    this.llmConfigured = llmConfigured;
    for (Operation operation : contract.operations()) {
      if (!BUDGETS.containsKey(operation.getOperationId()) && !FREE.contains(operation.getOperationId())) {
        throw new IllegalStateException("operation " + operation.getOperationId() + " spends no rate-limit budget");
      }
    }
  }

  @Override
  public void handle(RoutingContext rc) {
    Caller caller = rc.get(Caller.CONTEXT_KEY);
    if (caller == null || !limiter.enabled()) {
      rc.next();
      return;
    }
    Budget budget = budgetOf(rc);
    if (budget == null) {
      rc.next();
      return;
    }
    limiter.spend(caller, addressOf(rc), budget).onComplete(done -> {
      Decision decision = done.succeeded() ? done.result() : null;
      if (decision == null) {
        // Counting failed (a cluster-wide counter that cannot be reached): serve rather than refuse everyone.
        rc.next();
        return;
      }
      rc.put(SPENT, decision);
      if (refused(rc, decision, null)) {
        return;
      }
      rc.next();
    });
  }

  /**
   * The budget of the operation the request is for; a request the contract does not know (a path the router may
   * still take for an operation's, or a 404) spends by its method, so that no spelling of a write spends a read.
   */
  private Budget budgetOf(RoutingContext rc) {
    HttpMethod method = rc.request().method();
    Operation operation = contract.findOperation(rc.normalizedPath(), method);
    if (operation != null) {
      return BUDGETS.get(operation.getOperationId());
    }
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS ? Budget.READS
      : Budget.WRITES;
  }

  /**
   * For the add operation, after validation: an add the LLM will distil ({@code infer} true, its default, or a
   * procedural memory) spends an inference on top of its write.
   */
  Handler<RoutingContext> inferences() {
    return rc -> {
      Caller caller = rc.get(Caller.CONTEXT_KEY);
      if (!llmConfigured || !limiter.enabled() || caller == null || !infers(rc)) {
        rc.next();
        return;
      }
      limiter.spend(caller, addressOf(rc), Budget.INFERENCES).onComplete(done -> {
        if (done.succeeded() && done.result() != null && refused(rc, done.result(), rc.get(SPENT))) {
          return;
        }
        rc.next();
      });
    };
  }

  private static boolean infers(RoutingContext rc) {
    ValidatedRequest validated = rc.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    RequestParameter body = validated == null ? null : validated.getBody();
    if (body == null || body.isNull() || !(body.get() instanceof io.vertx.core.json.JsonObject json)) {
      return false;
    }
    return "procedural_memory".equals(json.getValue("memory_type")) || !Boolean.FALSE.equals(json.getValue("infer"));
  }

  /**
   * Puts the headers on the answer; when the decision refuses, answers 429 and returns true.
   *
   * @param earlier a decision already taken for this request (an add's write), whose policy is listed first
   */
  private static boolean refused(RoutingContext rc, Decision decision, Decision earlier) {
    HttpServerResponse response = rc.response();
    String policy = decision.policy();
    String state = decision.state();
    if (earlier != null) {
      policy = earlier.policy() + ", " + policy;
      state = earlier.state() + ", " + state;
    }
    response.putHeader(Decision.POLICY_HEADER, policy).putHeader(Decision.STATE_HEADER, state);
    if (decision.allowed()) {
      return false;
    }
    response.putHeader(Decision.RETRY_AFTER_HEADER, Long.toString(decision.retryAfterSeconds()));
    Problems.send(rc, Problems.of(BusError.TOO_MANY_REQUESTS, decision.refusal())
      .put("budget", decision.budget().wireName()));
    return true;
  }

  private static String addressOf(RoutingContext rc) {
    SocketAddress address = rc.request().remoteAddress();
    return address == null ? "?" : address.hostAddress();
  }
}
