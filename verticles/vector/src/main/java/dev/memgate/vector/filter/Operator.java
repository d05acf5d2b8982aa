package dev.memgate.vector.filter;

import io.vertx.core.json.JsonArray;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Filter operators, with mem0's names. Semantics, shared by every store:
 * <ul>
 *   <li>{@code eq}: equal scalar (numbers compare by value); an array field matches when an element is equal;
 *       {@code null} matches a missing field.</li>
 *   <li>{@code ne}: not {@code eq} (so a memory without the field matches).</li>
 *   <li>{@code gt gte lt lte}: numbers by value, strings in code-point order (ISO dates sort right); other types
 *       never match.</li>
 *   <li>{@code in} / {@code nin}: {@code eq} one of / none of a list.</li>
 *   <li>{@code contains}: a string field contains the text; an array field has an element equal to it.</li>
 *   <li>{@code icontains}: the same, ignoring case.</li>
 *   <li>{@code exists} (also the value {@code "*"}): the field is present and not null.</li>
 * </ul>
 */
public enum Operator {
  EQ("eq"), NE("ne"), GT("gt"), GTE("gte"), LT("lt"), LTE("lte"), IN("in"), NIN("nin"),
  CONTAINS("contains"), ICONTAINS("icontains"), EXISTS("exists");

  private final String wireName;

  Operator(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<Operator> byWireName(String name) {
    return Arrays.stream(values()).filter(o -> o.wireName.equals(name)).findFirst();
  }

  public static String wireNames() {
    return String.join(", ", Arrays.stream(values()).map(Operator::wireName).toList());
  }

  boolean test(Object field, Object literal) {
    return switch (this) {
      case EQ -> equal(field, literal);
      case NE -> !equal(field, literal);
      case GT -> compare(field, literal) > 0 && comparable(field, literal);
      case GTE -> compare(field, literal) >= 0 && comparable(field, literal);
      case LT -> compare(field, literal) < 0 && comparable(field, literal);
      case LTE -> compare(field, literal) <= 0 && comparable(field, literal);
      case IN -> ((JsonArray) literal).stream().anyMatch(item -> equal(field, item));
      case NIN -> ((JsonArray) literal).stream().noneMatch(item -> equal(field, item));
      case CONTAINS -> contains(field, (String) literal, false);
      case ICONTAINS -> contains(field, (String) literal, true);
      case EXISTS -> field != null;
    };
  }

  static boolean equal(Object field, Object literal) {
    if (literal == null) {
      return field == null;
    }
    if (field instanceof JsonArray array) {
      return array.stream().anyMatch(element -> scalarEqual(element, literal));
    }
    return scalarEqual(field, literal);
  }

  private static boolean scalarEqual(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return decimal(x).compareTo(decimal(y)) == 0;
    }
    if (a instanceof String || a instanceof Boolean) {
      return a.equals(b);
    }
    return false;
  }

  private static boolean comparable(Object field, Object literal) {
    return (field instanceof Number && literal instanceof Number)
      || (field instanceof String && literal instanceof String);
  }

  /** Only meaningful when {@link #comparable}; 0 otherwise, which the callers mask. */
  private static int compare(Object field, Object literal) {
    if (field instanceof Number x && literal instanceof Number y) {
      return decimal(x).compareTo(decimal(y));
    }
    if (field instanceof String x && literal instanceof String y) {
      return Integer.signum(compareCodePoints(x, y));
    }
    return 0;
  }

  /**
   * Code-point order, as the javadoc promises and as byte-wise UTF-8 sorts; String.compareTo compares UTF-16 units,
   * which puts characters beyond U+FFFF (emoji) before U+E000..U+FFFF.
   */
  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static boolean contains(Object field, String text, boolean ignoreCase) {
    if (field instanceof String s) {
      return ignoreCase ? s.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT)) : s.contains(text);
    }
    if (field instanceof JsonArray array) {
      // The same case folding as for a string field (equalsIgnoreCase folds differently, e.g. for U+0130).
      return array.stream().anyMatch(e -> e instanceof String s && (ignoreCase
        ? s.toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT)) : s.equals(text)));
    }
    return false;
  }

  private static BigDecimal decimal(Number n) {
    return new BigDecimal(n.toString());
  }
}
