package dev.memgate.vector.pgvector;

import dev.memgate.contract.Scope;
import dev.memgate.vector.filter.Filter;

import java.util.ArrayList;
import java.util.List;

/** The WHERE conditions of reads and scoped deletes: a scope, and a scope with a mem0 filter. */
final class PgConditions {
  private PgConditions() {
  }

  /** A scope and a filter; {@code icu} says whether the server has ICU collations (for icontains). */
  static String condition(Scope scope, Filter filter, boolean icu, SqlParams params) {
    String scoped = scope(scope, params);
    if (filter == null || filter.isMatchAll()) {
      return scoped;
    }
    return scoped + PgSql.AND + PgSql.GROUP.formatted(new FilterSql(params, icu).condition(filter));
  }

  /** Memories whose ids equal every id the scope gives; an empty scope is every memory. */
  static String scope(Scope scope, SqlParams params) {
    List<String> parts = new ArrayList<>(3);
    if (scope.userId() != null) {
      parts.add(PgSql.SCOPE_USER.formatted(params.add(scope.userId())));
    }
    if (scope.agentId() != null) {
      parts.add(PgSql.SCOPE_AGENT.formatted(params.add(scope.agentId())));
    }
    if (scope.runId() != null) {
      parts.add(PgSql.SCOPE_RUN.formatted(params.add(scope.runId())));
    }
    return parts.isEmpty() ? PgSql.TRUE : String.join(PgSql.AND, parts);
  }
}
