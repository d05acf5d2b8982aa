package dev.memgate.gateway.fuzz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON as the fuzzer writes it, which need not be JSON: objects may repeat a key, numbers are written as given
 * ({@code 1e309}, {@code -0}, {@code NaN}), strings may hold lone surrogates (written as {@code \ud800} escapes) or
 * raw bytes that are not UTF-8, and any raw token can stand anywhere. Vert.x's own JSON types cannot say any of
 * that, which is exactly what a parser must survive.
 */
sealed interface J {

  /** The bytes on the wire. */
  default byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out);
    return out.toByteArray();
  }

  /** The text, with bytes that are not UTF-8 replaced; for reports and for text-only transports. */
  default String text() {
    return new String(bytes(), StandardCharsets.UTF_8);
  }

  void write(ByteArrayOutputStream out);

  /** The JSON type this value claims to be, as JSON Schema names it ("raw" for anything that is not JSON). */
  String type();

  /** An object whose keys keep their order and may repeat. */
  record Obj(List<Map.Entry<String, J>> fields) implements J {
    Obj() {
      this(new ArrayList<>());
    }

    /** Sets a key (replacing every earlier occurrence) and returns this object. */
    Obj put(String key, J value) {
      remove(key);
      fields.add(new AbstractMap.SimpleEntry<>(key, value));
      return this;
    }

    /** Adds a key again, keeping the earlier occurrence: a duplicate key. */
    Obj append(String key, J value) {
      fields.add(new AbstractMap.SimpleEntry<>(key, value));
      return this;
    }

    Obj remove(String key) {
      fields.removeIf(e -> e.getKey().equals(key));
      return this;
    }

    J get(String key) {
      for (Map.Entry<String, J> field : fields) {
        if (field.getKey().equals(key)) {
          return field.getValue();
        }
      }
      return null;
    }

    boolean has(String key) {
      return get(key) != null;
    }

    Obj copy() {
      Obj copy = new Obj();
      fields.forEach(e -> copy.fields.add(new AbstractMap.SimpleEntry<>(e.getKey(), copyOf(e.getValue()))));
      return copy;
    }

    @Override
    public void write(ByteArrayOutputStream out) {
      out.write('{');
      for (int i = 0; i < fields.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        Str.writeString(out, fields.get(i).getKey());
        out.write(':');
        fields.get(i).getValue().write(out);
      }
      out.write('}');
    }

    @Override
    public String type() {
      return "object";
    }
  }

  record Arr(List<J> items) implements J {
    Arr() {
      this(new ArrayList<>());
    }

    Arr add(J item) {
      items.add(item);
      return this;
    }

    @Override
    public void write(ByteArrayOutputStream out) {
      out.write('[');
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        items.get(i).write(out);
      }
      out.write(']');
    }

    @Override
    public String type() {
      return "array";
    }
  }

  /** A string; characters a JSON string cannot hold raw are escaped, lone surrogates included. */
  record Str(String value) implements J {
    @Override
    public void write(ByteArrayOutputStream out) {
      writeString(out, value);
    }

    @Override
    public String type() {
      return "string";
    }

    static void writeString(ByteArrayOutputStream out, String value) {
      StringBuilder text = new StringBuilder(value.length() + 2).append('"');
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1));
        if (pair) {
          text.append(c).append(value.charAt(++i));
        } else if (c == '"' || c == '\\') {
          text.append('\\').append(c);
        } else if (c < 0x20 || Character.isSurrogate(c)) {
          text.append(String.format("\\u%04x", (int) c));
        } else {
          text.append(c);
        }
      }
      byte[] bytes = text.append('"').toString().getBytes(StandardCharsets.UTF_8);
      out.write(bytes, 0, bytes.length);
    }
  }

  /** A string whose content is these bytes exactly, UTF-8 or not. */
  record RawStr(byte[] content) implements J {
    @Override
    public void write(ByteArrayOutputStream out) {
      out.write('"');
      out.write(content, 0, content.length);
      out.write('"');
    }

    @Override
    public String type() {
      return "string";
    }
  }

  /** A number, literal or any other token written as it is ({@code 1e309}, {@code NaN}, {@code true}, garbage). */
  record Lit(String token, String type) implements J {
    @Override
    public void write(ByteArrayOutputStream out) {
      byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
      out.write(bytes, 0, bytes.length);
    }
  }

  static J str(String value) {
    return new Str(value);
  }

  static J num(String token) {
    return new Lit(token, token.matches("-?\\d+") ? "integer" : "number");
  }

  static J num(long value) {
    return num(Long.toString(value));
  }

  static J bool(boolean value) {
    return new Lit(Boolean.toString(value), "boolean");
  }

  static J nul() {
    return new Lit("null", "null");
  }

  static J raw(String token) {
    return new Lit(token, "raw");
  }

  static Obj obj() {
    return new Obj();
  }

  static Arr arr(J... items) {
    Arr arr = new Arr();
    for (J item : items) {
      arr.add(item);
    }
    return arr;
  }

  /** A Vert.x JSON value (JsonObject, JsonArray, String, Number, Boolean, null) as J. */
  static J of(Object value) {
    if (value == null) {
      return nul();
    }
    if (value instanceof JsonObject object) {
      Obj obj = obj();
      object.forEach(e -> obj.append(e.getKey(), of(e.getValue())));
      return obj;
    }
    if (value instanceof JsonArray array) {
      Arr arr = arr();
      array.forEach(item -> arr.add(of(item)));
      return arr;
    }
    if (value instanceof String text) {
      return str(text);
    }
    if (value instanceof Boolean b) {
      return bool(b);
    }
    if (value instanceof Number number) {
      return num(number.toString());
    }
    throw new IllegalArgumentException("not JSON: " + value.getClass());
  }

  static J copyOf(J value) {
    if (value instanceof Obj obj) {
      return obj.copy();
    }
    if (value instanceof Arr arr) {
      Arr copy = arr();
      arr.items().forEach(item -> copy.add(copyOf(item)));
      return copy;
    }
    return value;
  }
}
