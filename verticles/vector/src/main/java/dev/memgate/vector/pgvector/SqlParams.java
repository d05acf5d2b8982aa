package dev.memgate.vector.pgvector;

import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of one statement being built: each value added gets the next {@code $n} placeholder, which is
 * the only thing that goes into the SQL text in its place.
 */
final class SqlParams {
  private final List<Object> values = new ArrayList<>();

  /** Adds a value and returns its placeholder, e.g. {@code $3}. */
  String add(Object value) {
    values.add(value);
    return "$" + values.size();
  }

  Tuple tuple() {
    return Tuple.wrap(new ArrayList<>(values));
  }

  int size() {
    return values.size();
  }
}
