package dev.memgate.vector.filter;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A parsed search or list filter over a memory's filter view (metadata keys plus user_id, agent_id, run_id,
 * actor_id, role, created_at, updated_at). Every store must give these exact semantics; {@link #matches} is the
 * reference the stores are tested against.
 */
public sealed interface Filter {

  boolean matches(JsonObject view);

  Filter MATCH_ALL = new All(List.of());

  /** Every part matches (an empty list matches everything). */
  record All(List<Filter> parts) implements Filter {
    public boolean matches(JsonObject view) {
      return parts.stream().allMatch(p -> p.matches(view));
    }
  }

  /** At least one part matches. */
  record Any(List<Filter> parts) implements Filter {
    public boolean matches(JsonObject view) {
      return parts.stream().anyMatch(p -> p.matches(view));
    }
  }

  /** No part matches. */
  record None(List<Filter> parts) implements Filter {
    public boolean matches(JsonObject view) {
      return parts.stream().noneMatch(p -> p.matches(view));
    }
  }

  /** One comparison of a field with a literal. */
  record Compare(String field, Operator operator, Object value) implements Filter {
    public boolean matches(JsonObject view) {
      return operator.test(view.getValue(field), value);
    }
  }

  /**
   * Not expired on {@code day} (YYYY-MM-DD): no {@code expiration_date}, or one on that day or later. Added by the
   * service, never parsed from a caller's filter; its own node so that stores can answer it from an index.
   */
  record Unexpired(String day) implements Filter {
    public static final String FIELD = "expiration_date";

    public boolean matches(JsonObject view) {
      return !(view.getValue(FIELD) instanceof String date) || date.compareTo(day) >= 0;
    }
  }

  default boolean isMatchAll() {
    return this instanceof All all && all.parts().isEmpty();
  }
}
