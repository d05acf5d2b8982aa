package dev.memgate.gateway.fuzz;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

/**
 * The rules of the memory service that its schemas do not state (README and conf/memgate.yaml state them):
 * which values a request can certainly not get past. Used only to decide that a request must be refused, so each
 * rule errs towards "not certain"; a value the rules do not know is never certain.
 */
final class Rules {
  static final int MAX_TEXT_CHARS = 16_384;
  static final int MAX_ID_CHARS = 256;
  static final int MAX_QUERY_CHARS = 4_096;
  static final int MAX_METADATA_BYTES = 16_384;
  static final int MAX_MESSAGES = 500;
  static final int MAX_LIMIT = 1_000;
  static final long LATEST_TIMESTAMP = 253_402_300_799L;
  static final Set<String> ROLES = Set.of("user", "assistant", "system", "tool");
  /** Names every memory item uses at its top level: metadata may not use them. */
  static final Set<String> RESERVED = Set.of("id", "memory", "hash", "metadata", "score", "created_at",
    "updated_at", "user_id", "agent_id", "run_id", "actor_id", "role", "expiration_date");

  private Rules() {
  }

  /** Whether {@code field} of a request (REST body field or MCP tool argument) certainly refuses {@code value}. */
  static boolean refuses(String field, J value) {
    if (opaque(value)) {
      return false;
    }
    return switch (field) {
      case "text", "content" -> textRefused(value);
      case "messages" -> messagesRefused(value);
      case "user_id", "agent_id", "run_id" -> idRefused(value);
      case "query" -> queryRefused(value);
      case "limit", "top_k" -> wholeNumberOutside(value, 1, MAX_LIMIT);
      case "threshold" -> numberOutside(value, BigDecimal.ZERO, BigDecimal.ONE);
      case "timestamp" -> timestampRefused(value);
      case "expiration_date" -> dayRefused(value);
      case "metadata" -> metadataRefused(value, false);
      case "memory_type" -> value instanceof J.Str s && !s.value().equals("procedural_memory");
      case "memory_id" -> value instanceof J.Str s && s.value().isBlank();
      default -> false;
    };
  }

  static boolean textRefused(J value) {
    if (!(value instanceof J.Str s)) {
      return !opaque(value);
    }
    String stripped = s.value().strip();
    return stripped.isEmpty() || stripped.length() > MAX_TEXT_CHARS || unstorable(s.value(), false);
  }

  static boolean idRefused(J value) {
    if (!(value instanceof J.Str s)) {
      return !opaque(value);
    }
    String stripped = s.value().strip();
    return stripped.isEmpty() || stripped.length() > MAX_ID_CHARS || unstorable(stripped, true);
  }

  static boolean queryRefused(J value) {
    if (!(value instanceof J.Str s)) {
      return !opaque(value);
    }
    return s.value().isBlank() || s.value().length() > MAX_QUERY_CHARS || unstorable(s.value(), false);
  }

  static boolean messagesRefused(J value) {
    if (value instanceof J.Str) {
      return textRefused(value);
    }
    if (value instanceof J.Obj single) {
      return messageRefused(single);
    }
    if (value instanceof J.Arr list) {
      if (list.items().isEmpty() || list.items().size() > MAX_MESSAGES) {
        return true;
      }
      for (J item : list.items()) {
        if (opaque(item)) {
          return false;
        }
        if (!(item instanceof J.Obj message) || messageRefused(message)) {
          return true;
        }
      }
      return false;
    }
    return !opaque(value);
  }

  /** A message: role one of four, content non-blank text or text parts, name a clean short string. */
  private static boolean messageRefused(J.Obj message) {
    J role = message.get("role");
    if (role != null && !opaque(role) && !(role instanceof J.Str r && ROLES.contains(r.value()))) {
      return true;
    }
    J content = message.get("content");
    if (content == null) {
      return true;
    }
    if (content instanceof J.Arr parts) {
      if (parts.items().isEmpty()) {
        return true;
      }
      for (J part : parts.items()) {
        if (!(part instanceof J.Obj p) || !(p.get("type") instanceof J.Str t) || !t.value().equals("text")
          || !(p.get("text") instanceof J.Str)) {
          return !opaque(part);
        }
      }
    } else if (!opaque(content) && textRefused(content)) {
      return true;
    }
    J name = message.get("name");
    if (name instanceof J.Str n) {
      String actor = n.value().strip();
      return !actor.isEmpty() && (actor.length() > MAX_ID_CHARS || unstorable(actor, true));
    }
    return name != null && !opaque(name);
  }

  /** Metadata: an object without reserved or blank keys, storable strings and finite numbers, small enough. */
  static boolean metadataRefused(J value, boolean nullValuesAllowed) {
    if (!(value instanceof J.Obj metadata)) {
      return !opaque(value);
    }
    for (Map.Entry<String, J> entry : metadata.fields()) {
      String key = entry.getKey();
      if (RESERVED.contains(key) || key.isBlank() || unstorable(key, true)) {
        return true;
      }
      J v = entry.getValue();
      if (!nullValuesAllowed && v instanceof J.Lit l && l.type().equals("null")) {
        return true;
      }
      if (valueUnstorable(v)) {
        return true;
      }
    }
    return metadata.bytes().length > MAX_METADATA_BYTES * 2;
  }

  private static boolean valueUnstorable(J value) {
    if (value instanceof J.Str s) {
      return unstorable(s.value(), false);
    }
    if (value instanceof J.Lit l && l.type().equals("number")) {
      return new BigDecimal(l.token()).abs().compareTo(new BigDecimal("1e308")) > 0;
    }
    if (value instanceof J.Obj o) {
      for (Map.Entry<String, J> entry : o.fields()) {
        if (unstorable(entry.getKey(), true) || valueUnstorable(entry.getValue())) {
          return true;
        }
      }
    }
    if (value instanceof J.Arr a) {
      return a.items().stream().anyMatch(Rules::valueUnstorable);
    }
    return false;
  }

  static boolean timestampRefused(J value) {
    if (value instanceof J.Str s) {
      try {
        long seconds = OffsetDateTime.parse(s.value().strip()).toInstant().getEpochSecond();
        return seconds < 0 || seconds > LATEST_TIMESTAMP;
      } catch (DateTimeParseException e) {
        return true;
      }
    }
    if (value instanceof J.Lit l && (l.type().equals("integer") || l.type().equals("number"))) {
      BigDecimal seconds = new BigDecimal(l.token());
      return seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(LATEST_TIMESTAMP)) > 0;
    }
    return !opaque(value);
  }

  static boolean dayRefused(J value) {
    if (value instanceof J.Str s) {
      if (!s.value().matches("\\d{4}-\\d{2}-\\d{2}")) {
        return true;
      }
      try {
        LocalDate.parse(s.value());
        return false;
      } catch (DateTimeParseException e) {
        return true;
      }
    }
    return !opaque(value);
  }

  private static boolean wholeNumberOutside(J value, long min, long max) {
    if (!(value instanceof J.Lit l) || !(l.type().equals("integer") || l.type().equals("number"))) {
      return !opaque(value);
    }
    BigDecimal number = new BigDecimal(l.token());
    if (number.stripTrailingZeros().scale() > 0) {
      return true;
    }
    return number.compareTo(BigDecimal.valueOf(min)) < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0;
  }

  private static boolean numberOutside(J value, BigDecimal min, BigDecimal max) {
    if (!(value instanceof J.Lit l) || !(l.type().equals("integer") || l.type().equals("number"))) {
      return !opaque(value);
    }
    BigDecimal number = new BigDecimal(l.token());
    return number.compareTo(min) < 0 || number.compareTo(max) > 0;
  }

  /**
   * Values whose reading is not certain: null (absent to some parsers), raw tokens, nesting deep enough to trip a
   * parser's depth limit, strings of bytes that are not UTF-8.
   */
  static boolean opaque(J value) {
    return value instanceof J.RawStr
      || value instanceof J.Lit l && !l.type().equals("integer") && !l.type().equals("number")
      && !l.type().equals("boolean");
  }

  /** NUL, lone surrogates and (for identifiers) control characters: what no store can keep as given. */
  static boolean unstorable(String text, boolean identifier) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        return true;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return true;
      }
      if (Character.isLowSurrogate(c) || identifier && Character.isISOControl(c)) {
        return true;
      }
    }
    return false;
  }
}
