package dev.memgate.gateway.fuzz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough JSON Schema to fuzz from the API's own descriptions (the OpenAPI contract's schemas, the MCP tools'
 * input schemas): which types a field takes, which values break a declared constraint, and whether a generated
 * value certainly breaks one. "Certainly" matters: a request that breaks its schema must be refused, so it may be
 * aimed at data that must not change; a request that might be valid is only ever aimed at throw-away data.
 */
final class Schema {
  private Schema() {
  }

  /** The declared types ("string", "integer", ...); empty when the schema allows any type. */
  static List<String> types(JsonObject schema) {
    Object type = schema.getValue("type");
    List<String> types = new ArrayList<>();
    if (type instanceof String single) {
      types.add(single);
    } else if (type instanceof JsonArray many) {
      many.forEach(t -> types.add((String) t));
    }
    return types;
  }

  static boolean typeAllowed(List<String> allowed, J value) {
    if (allowed.isEmpty()) {
      return true;
    }
    String type = value.type();
    return allowed.contains(type) || (type.equals("integer") && allowed.contains("number"));
  }

  /** Values that break a constraint the schema declares (enum, bounds, lengths, item counts), with labels. */
  static List<Junk.Bad> constraintBreakers(JsonObject schema) {
    List<Junk.Bad> breakers = new ArrayList<>();
    if (schema.containsKey("enum")) {
      breakers.add(new Junk.Bad("not-in-enum", J.str("not-a-listed-value")));
      breakers.add(new Junk.Bad("enum-wrong-case", J.str(String.valueOf(schema.getJsonArray("enum").getValue(0))
        .toUpperCase())));
    }
    Number minimum = (Number) schema.getValue("minimum");
    if (minimum != null) {
      breakers.add(new Junk.Bad("below-minimum", J.num(new BigDecimal(minimum.toString()).subtract(BigDecimal.ONE)
        .toPlainString())));
      breakers.add(new Junk.Bad("far-below-minimum", J.num("-2147483649")));
    }
    Number maximum = (Number) schema.getValue("maximum");
    if (maximum != null) {
      breakers.add(new Junk.Bad("above-maximum", J.num(new BigDecimal(maximum.toString()).add(new BigDecimal("0.5"))
        .toPlainString())));
    }
    Integer minLength = schema.getInteger("minLength");
    if (minLength != null && minLength > 0) {
      breakers.add(new Junk.Bad("shorter-than-minLength", J.str("")));
    }
    Integer maxLength = schema.getInteger("maxLength");
    if (maxLength != null) {
      breakers.add(new Junk.Bad("longer-than-maxLength", J.str("m".repeat(maxLength + 1))));
    }
    Integer minItems = schema.getInteger("minItems");
    if (minItems != null && minItems > 0) {
      breakers.add(new Junk.Bad("fewer-than-minItems", J.arr()));
    }
    Integer maxItems = schema.getInteger("maxItems");
    if (maxItems != null) {
      J.Arr many = J.arr();
      for (int i = 0; i <= maxItems; i++) {
        many.add(J.str("item-" + i));
      }
      breakers.add(new Junk.Bad("more-than-maxItems", many));
    }
    JsonObject items = schema.getJsonObject("items");
    if (items != null) {
      for (Junk.Bad wrong : Junk.wrongTypes(types(items))) {
        breakers.add(new Junk.Bad("item-" + wrong.label(), J.arr(wrong.value())));
      }
    }
    return breakers;
  }

  /**
   * True only when {@code value} certainly breaks {@code schema}. Values whose reading differs between parsers
   * (1.0 or 1E2 for an integer, -0, bytes that are not UTF-8, raw tokens) are never "certain".
   */
  static boolean certainlyBreaks(JsonObject schema, J value) {
    if (value instanceof J.RawStr || value.type().equals("raw") || value.type().equals("null")) {
      return false;
    }
    List<String> types = types(schema);
    if (!types.isEmpty()) {
      String type = value.type();
      boolean integerOnly = types.contains("integer") && !types.contains("number");
      if (type.equals("number") && integerOnly) {
        // 1.5 is no integer anywhere; 1.0 and 1E2 are integers to some validators and not to others.
        if (new BigDecimal(((J.Lit) value).token()).stripTrailingZeros().scale() > 0) {
          return true;
        }
      } else if (!typeAllowed(types, value)) {
        return true;
      }
    }
    if (schema.containsKey("enum") && value instanceof J.Str text
      && !schema.getJsonArray("enum").contains(text.value())) {
      return true;
    }
    if (value instanceof J.Lit number && (number.type().equals("integer") || number.type().equals("number"))) {
      BigDecimal given = new BigDecimal(number.token());
      if (schema.getValue("minimum") instanceof Number min && given.compareTo(new BigDecimal(min.toString())) < 0) {
        return true;
      }
      if (schema.getValue("maximum") instanceof Number max && given.compareTo(new BigDecimal(max.toString())) > 0) {
        return true;
      }
    }
    if (value instanceof J.Str text) {
      int length = text.value().codePointCount(0, text.value().length());
      if (schema.getInteger("minLength") != null && length < schema.getInteger("minLength")) {
        return true;
      }
      if (schema.getInteger("maxLength") != null && length > schema.getInteger("maxLength")) {
        return true;
      }
    }
    if (value instanceof J.Arr array) {
      if (schema.getInteger("minItems") != null && array.items().size() < schema.getInteger("minItems")) {
        return true;
      }
      if (schema.getInteger("maxItems") != null && array.items().size() > schema.getInteger("maxItems")) {
        return true;
      }
      JsonObject items = schema.getJsonObject("items");
      if (items != null) {
        for (J item : array.items()) {
          if (certainlyBreaks(items, item)) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
