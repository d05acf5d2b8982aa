package dev.memgate.ratelimit;

/**
 * What a request spends: each has its own bucket per caller, so that a client that has used up its writes can still
 * read, and one that adds with inference (each add costs LLM calls) runs out of those before it can crowd the LLM.
 * The wire name is the policy's name in the {@code RateLimit-Policy} and {@code RateLimit} headers.
 */
public enum Budget {
  /** Cheap reads: get, list, search, history, graph. */
  READS("reads"),
  /** Writes: add, update, delete. */
  WRITES("writes"),
  /** Adds distilled by the LLM ({@code infer: true} with an LLM configured): spent on top of a write. */
  INFERENCES("inferences");

  private final String wireName;

  Budget(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
