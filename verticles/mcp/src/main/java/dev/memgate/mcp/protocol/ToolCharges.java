package dev.memgate.mcp.protocol;

import dev.memgate.contract.Fields;
import dev.memgate.mcp.tools.ToolBox;
import dev.memgate.ratelimit.Budget;
import dev.memgate.ratelimit.Decision;
import dev.memgate.ratelimit.RateLimiter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * What a tools/call spends from the caller's budgets, the same buckets its REST calls spend from: a read-only tool a
 * read, any other a write, and an {@code add_memories} the LLM distils ({@code infer} true, its default, with an LLM
 * configured) an inference too. Over a budget, the call answers a JSON-RPC error whose data carries what the REST
 * API puts in its headers. stdio is never limited: only the local user can reach it.
 */
public final class ToolCharges {
  /** JSON-RPC's implementation-defined server error range; the data's {@code status} says 429. */
  public static final int RATE_LIMITED = -32029;
  private static final String INFERRING_TOOL = "add_memories";

  private final RateLimiter limiter;
  private final ToolBox tools;
  private final boolean llmConfigured;

  public ToolCharges(RateLimiter limiter, ToolBox tools, boolean llmConfigured) {
    this.limiter = limiter;
    this.tools = tools;
    this.llmConfigured = llmConfigured;
  }

  /**
   * Spends for a call of a tool that exists.
   *
   * @return a future that fails with a {@link JsonRpcException} when the caller is over a budget
   */
  Future<Void> spend(McpSession session, String tool, JsonObject arguments) {
    if (!limiter.enabled() || session.transport() == Transport.STDIO) {
      return Future.succeededFuture();
    }
    Budget budget = tools.readOnly(tool) ? Budget.READS : Budget.WRITES;
    Future<Void> spent = spend(session, budget);
    if (llmConfigured && INFERRING_TOOL.equals(tool) && !Boolean.FALSE.equals(arguments.getValue(Fields.INFER))) {
      spent = spent.compose(v -> spend(session, Budget.INFERENCES));
    }
    return spent;
  }

  private Future<Void> spend(McpSession session, Budget budget) {
    return limiter.spend(session.caller().principal(), session.address(), budget).compose(decision -> {
      if (decision == null || decision.allowed()) {
        return Future.succeededFuture();
      }
      return Future.failedFuture(new JsonRpcException(RATE_LIMITED, "Too Many Requests: " + decision.refusal(),
        new JsonObject()
          .put("status", 429)
          .put("budget", budget.wireName())
          .put("retry_after_seconds", decision.retryAfterSeconds())
          .put(Decision.POLICY_HEADER, decision.policy())
          .put(Decision.STATE_HEADER, decision.state())));
    });
  }
}
