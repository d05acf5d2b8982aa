package dev.memgate.vector.pgvector;

import dev.memgate.contract.Fields;
import dev.memgate.vector.filter.Filter;
import dev.memgate.vector.filter.Operator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link Filter} into a parameterised SQL condition on a memory row (alias {@code m}) with exactly the
 * semantics of {@link Filter#matches} on the memory's filter view. Every condition it writes is true or false,
 * never unknown, so that NOT and NOR compose as they do in Java.
 *
 * <p>The filter view holds the caller's metadata plus seven fields that live in columns here (user_id, agent_id,
 * run_id, actor_id, role, created_at, updated_at); metadata may not use those names, so a field is either a column
 * or a metadata key. PostgreSQL text cannot hold a NUL character, so no stored value has one: a literal with a NUL
 * can equal nothing, and compares like its part before the NUL.
 */
final class FilterSql {
  private static final Map<String, String> COLUMNS = Map.of(
    Fields.USER_ID, PgSql.COLUMN_USER_ID,
    Fields.AGENT_ID, PgSql.COLUMN_AGENT_ID,
    Fields.RUN_ID, PgSql.COLUMN_RUN_ID,
    Fields.ACTOR_ID, PgSql.COLUMN_ACTOR_ID,
    Fields.ROLE, PgSql.COLUMN_ROLE,
    Fields.CREATED_AT, PgSql.COLUMN_CREATED_AT,
    Fields.UPDATED_AT, PgSql.COLUMN_UPDATED_AT);
  private static final char NUL = '\u0000';

  private final SqlParams params;
  private final String lower;

  /**
   * @param icu whether the server has the ICU collation {@code und-x-icu}, which lower-cases as Java does
   */
  FilterSql(SqlParams params, boolean icu) {
    this.params = params;
    this.lower = icu ? PgSql.LOWER_ICU : PgSql.LOWER_DEFAULT;
  }

  String condition(Filter filter) {
    return switch (filter) {
      case Filter.All all -> all.parts().isEmpty() ? PgSql.TRUE : join(all.parts(), PgSql.AND);
      case Filter.Any any -> any.parts().isEmpty() ? PgSql.FALSE : join(any.parts(), PgSql.OR);
      case Filter.None none -> none.parts().isEmpty() ? PgSql.TRUE
        : PgSql.NOT.formatted(join(none.parts(), PgSql.OR));
      case Filter.Unexpired unexpired -> PgSql.UNEXPIRED.formatted(params.add(unexpired.day()));
      case Filter.Compare compare -> COLUMNS.containsKey(compare.field())
        ? column(COLUMNS.get(compare.field()), compare.operator(), compare.value())
        : metadata(compare.field(), compare.operator(), compare.value());
    };
  }

  private String join(List<Filter> parts, String operator) {
    List<String> conditions = new ArrayList<>(parts.size());
    parts.forEach(part -> conditions.add(condition(part)));
    return PgSql.GROUP.formatted(String.join(operator, conditions));
  }

  // ---- fields kept in text columns: a string or absent ------------------------------------------------------

  private String column(String column, Operator operator, Object value) {
    return switch (operator) {
      case EQ -> columnEquals(column, value);
      case NE -> PgSql.NOT.formatted(PgSql.GROUP.formatted(columnEquals(column, value)));
      case GT, GTE, LT, LTE -> value instanceof String text ? columnCompare(column, operator, text) : PgSql.FALSE;
      case IN -> columnIn(column, (JsonArray) value);
      case NIN -> PgSql.NOT.formatted(PgSql.GROUP.formatted(columnIn(column, (JsonArray) value)));
      case CONTAINS -> hasNul((String) value) ? PgSql.FALSE
        : PgSql.COLUMN_CONTAINS.formatted(column, params.add(value));
      case ICONTAINS -> hasNul((String) value) ? PgSql.FALSE
        : PgSql.COLUMN_ICONTAINS.formatted(lower.formatted(column), lower.formatted(params.add(value)));
      case EXISTS -> PgSql.COLUMN_NOT_NULL.formatted(column);
    };
  }

  private String columnEquals(String column, Object value) {
    if (value == null) {
      return PgSql.COLUMN_IS_NULL.formatted(column);
    }
    if (!(value instanceof String text) || hasNul(text)) {
      return PgSql.FALSE;
    }
    return PgSql.COLUMN_EQUALS.formatted(column, params.add(text));
  }

  private String columnCompare(String column, Operator operator, String text) {
    Bound bound = Bound.of(operator, text);
    return PgSql.COLUMN_COMPARE.formatted(column, bound.operator(), params.add(bound.text()));
  }

  private String columnIn(String column, JsonArray list) {
    List<String> texts = new ArrayList<>();
    list.forEach(item -> {
      if (item instanceof String text && !hasNul(text)) {
        texts.add(text);
      }
    });
    return texts.isEmpty() ? PgSql.FALSE : PgSql.COLUMN_IN.formatted(column, params.add(texts.toArray(String[]::new)));
  }

  // ---- metadata keys: any JSON value, or absent ---------------------------------------------------------------

  private String metadata(String key, Operator operator, Object value) {
    boolean storable = !hasNul(key);
    if ((operator == Operator.EQ || operator == Operator.NE) && value != null) {
      // Containment on the whole metadata column: no field expression (and no parameter left unused).
      String equals = storable && !(value instanceof String text && hasNul(text)) ? metadataEquals(key, value)
        : PgSql.FALSE;
      return operator == Operator.EQ ? equals : PgSql.NOT.formatted(PgSql.GROUP.formatted(equals));
    }
    String field = storable ? PgSql.METADATA_FIELD.formatted(params.add(key)) : PgSql.ABSENT_FIELD;
    return switch (operator) {
      case EQ -> PgSql.JSON_MISSING.formatted(field);
      case NE -> PgSql.JSON_PRESENT.formatted(field);
      case GT, GTE, LT, LTE -> jsonCompare(field, operator, value);
      case IN -> jsonIn(field, (JsonArray) value);
      case NIN -> PgSql.NOT.formatted(PgSql.GROUP.formatted(jsonIn(field, (JsonArray) value)));
      case CONTAINS -> jsonContains(field, (String) value);
      case ICONTAINS -> jsonIContains(field, (String) value);
      case EXISTS -> PgSql.JSON_PRESENT.formatted(field);
    };
  }

  private String metadataEquals(String key, Object value) {
    // Passed as JSON values: the client sends a Java string for a jsonb parameter as a JSON string.
    String scalar = params.add(new JsonObject().put(key, value));
    String inArray = params.add(new JsonObject().put(key, new JsonArray().add(value)));
    return PgSql.METADATA_EQUALS.formatted(scalar, inArray);
  }

  private String jsonCompare(String field, Operator operator, Object value) {
    if (value instanceof Number number) {
      String literal = params.add(new BigDecimal(number.toString()));
      return PgSql.JSON_NUMBER_COMPARE.formatted(field, field, sqlOperator(operator), literal);
    }
    Bound bound = Bound.of(operator, (String) value);
    return PgSql.JSON_STRING_COMPARE.formatted(field, field, bound.operator(), params.add(bound.text()));
  }

  private String jsonIn(String field, JsonArray list) {
    JsonArray storable = new JsonArray();
    list.forEach(item -> {
      if (!(item instanceof String text && hasNul(text))) {
        storable.add(item);
      }
    });
    if (storable.isEmpty()) {
      return PgSql.FALSE;
    }
    return PgSql.JSON_EQUALS_ANY.formatted(params.add(storable), field, field, field);
  }

  private String jsonContains(String field, String text) {
    if (hasNul(text)) {
      return PgSql.FALSE;
    }
    String literal = params.add(text);
    return PgSql.JSON_CONTAINS.formatted(field, field, literal, field, literal);
  }

  private String jsonIContains(String field, String text) {
    if (hasNul(text)) {
      return PgSql.FALSE;
    }
    String literal = lower.formatted(params.add(text));
    return PgSql.JSON_ICONTAINS.formatted(field, lower.formatted(PgSql.JSON_TEXT.formatted(field)), literal, field,
      lower.formatted(PgSql.ELEMENT_TEXT), literal);
  }

  private static String sqlOperator(Operator operator) {
    return switch (operator) {
      case GT -> ">";
      case GTE -> ">=";
      case LT -> "<";
      case LTE -> "<=";
      default -> throw new IllegalArgumentException(operator.name());
    };
  }

  private static boolean hasNul(String text) {
    return text.indexOf(NUL) >= 0;
  }

  /**
   * A string bound as PostgreSQL can hold it. For a literal L with a NUL, and P its part before the NUL, a stored
   * string s (which has no NUL) is below L exactly when s <= P, and above L exactly when s > P.
   */
  private record Bound(String operator, String text) {
    static Bound of(Operator operator, String literal) {
      int nul = literal.indexOf(NUL);
      if (nul < 0) {
        return new Bound(FilterSql.sqlOperator(operator), literal);
      }
      String prefix = literal.substring(0, nul);
      return switch (operator) {
        case LT, LTE -> new Bound("<=", prefix);
        case GT, GTE -> new Bound(">", prefix);
        default -> throw new IllegalArgumentException(operator.name());
      };
    }
  }
}
