package dev.memgate.vector.filter;

import dev.memgate.contract.BusFailure;
import dev.memgate.contract.Storable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads mem0's filter language: {@code {"field": value}} for equality, {@code {"field": {"op": value}}},
 * {@code "*"} for "present", and {@code AND} / {@code OR} / {@code NOT} lists; several keys in one object must all
 * match. Every mistake is a 400 that names its place, e.g. {@code filters.age.between}.
 */
public final class FilterParser {
  private static final int MAX_DEPTH = 16;
  private static final int MAX_NODES = 512;
  private static final int MAX_LIST = 1_000;

  private int nodes;

  private FilterParser() {
  }

  /**
   * The caller's filters, and when {@code unexpiredOn} is a day, only memories without an expiration date or
   * expiring on that day or later (the date is a metadata key, compared as ISO text).
   */
  public static Filter withExpiry(JsonObject filters, String unexpiredOn) {
    Filter given = parse(filters);
    if (unexpiredOn == null) {
      return given;
    }
    Filter unexpired = new Filter.Unexpired(unexpiredOn);
    return given.isMatchAll() ? unexpired : new Filter.All(List.of(given, unexpired));
  }

  public static Filter parse(JsonObject filters) {
    if (filters == null || filters.isEmpty()) {
      return Filter.MATCH_ALL;
    }
    return new FilterParser().object(filters, "filters", 0);
  }

  private Filter object(JsonObject json, String path, int depth) {
    if (depth > MAX_DEPTH) {
      throw bad(path, "nested deeper than " + MAX_DEPTH + " levels");
    }
    List<Filter> parts = new ArrayList<>();
    for (Map.Entry<String, Object> entry : json) {
      String key = entry.getKey();
      String where = path + "." + key;
      switch (key.toUpperCase(Locale.ROOT)) {
        case "AND", "$AND" -> parts.add(new Filter.All(list(entry.getValue(), where, depth)));
        case "OR", "$OR" -> parts.add(new Filter.Any(list(entry.getValue(), where, depth)));
        case "NOT", "$NOT" -> parts.add(new Filter.None(notOperand(entry.getValue(), where, depth)));
        default -> parts.add(field(key, entry.getValue(), where));
      }
    }
    return parts.size() == 1 ? parts.get(0) : new Filter.All(parts);
  }

  private List<Filter> notOperand(Object value, String path, int depth) {
    if (value instanceof JsonObject single) {
      return List.of(object(single, path, depth + 1));
    }
    return list(value, path, depth);
  }

  private List<Filter> list(Object value, String path, int depth) {
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw bad(path, "must be a non-empty list of filter objects");
    }
    List<Filter> parts = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject item)) {
        throw bad(path + "[" + i + "]", "must be a filter object");
      }
      parts.add(object(item, path + "[" + i + "]", depth + 1));
    }
    return parts;
  }

  private Filter field(String field, Object condition, String path) {
    if (field.isBlank()) {
      throw bad(path, "field name must not be empty");
    }
    String defect = Storable.textDefect(field, false);
    if (defect != null) {
      throw bad(path, "field name " + defect);
    }
    if (condition instanceof JsonObject operators) {
      if (operators.isEmpty()) {
        throw bad(path, "needs at least one operator (" + Operator.wireNames() + ")");
      }
      List<Filter> parts = new ArrayList<>();
      for (Map.Entry<String, Object> op : operators) {
        String name = op.getKey().startsWith("$") ? op.getKey().substring(1) : op.getKey();
        Operator operator = Operator.byWireName(name.toLowerCase(Locale.ROOT)).orElseThrow(() -> bad(
          path + "." + op.getKey(), "unknown operator '" + op.getKey() + "' (use " + Operator.wireNames() + ")"));
        parts.add(compare(field, operator, op.getValue(), path + "." + op.getKey()));
      }
      return parts.size() == 1 ? parts.get(0) : new Filter.All(parts);
    }
    if ("*".equals(condition)) {
      return compare(field, Operator.EXISTS, true, path);
    }
    return compare(field, Operator.EQ, condition, path);
  }

  private Filter compare(String field, Operator operator, Object value, String path) {
    if (++nodes > MAX_NODES) {
      throw bad(path, "filter has more than " + MAX_NODES + " conditions");
    }
    switch (operator) {
      case EQ, NE -> requireScalar(value, path, true);
      case GT, GTE, LT, LTE -> {
        if (!(value instanceof Number) && !(value instanceof String)) {
          throw bad(path, "must be a number or a string");
        }
        requireStorable(value, path);
      }
      case IN, NIN -> {
        if (!(value instanceof JsonArray array)) {
          throw bad(path, "must be a list");
        }
        if (array.size() > MAX_LIST) {
          throw bad(path, "lists are limited to " + MAX_LIST + " values");
        }
        for (int i = 0; i < array.size(); i++) {
          requireScalar(array.getValue(i), path + "[" + i + "]", false);
        }
      }
      case CONTAINS, ICONTAINS -> {
        if (!(value instanceof String)) {
          throw bad(path, "must be a string");
        }
        requireStorable(value, path);
      }
      case EXISTS -> {
        if (!(value instanceof Boolean)) {
          throw bad(path, "must be true or false");
        }
        if (!((Boolean) value)) {
          return new Filter.None(List.of(new Filter.Compare(field, Operator.EXISTS, true)));
        }
        value = true;
      }
    }
    return new Filter.Compare(field, operator, value);
  }

  private static void requireScalar(Object value, String path, boolean nullAllowed) {
    if (value == null && nullAllowed) {
      return;
    }
    if (!(value instanceof String) && !(value instanceof Number) && !(value instanceof Boolean)) {
      throw bad(path, "must be a string, a number or a boolean" + (nullAllowed ? " (or null)" : ""));
    }
    requireStorable(value, path);
  }

  /**
   * A literal no store could hold (NUL, a lone surrogate, a number beyond a double) can match nothing, and some
   * stores cannot even compare with it: refuse it here, once for every store.
   */
  private static void requireStorable(Object value, String path) {
    if (value instanceof Number number && !Storable.isFinite(number)) {
      throw bad(path, "is too large a number");
    }
    if (value instanceof String text) {
      String defect = Storable.textDefect(text, false);
      if (defect != null) {
        throw bad(path, defect);
      }
    }
  }

  private static RuntimeException bad(String path, String detail) {
    return BusFailure.badInput(path, path + ": " + detail).toException();
  }
}
