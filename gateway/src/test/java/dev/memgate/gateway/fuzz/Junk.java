package dev.memgate.gateway.fuzz;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The values the fuzzer puts where the API expects something sensible: strings that are empty, huge, full of
 * control characters, lone surrogates or bytes that are not UTF-8; numbers out of every range; values of every
 * wrong type; nesting deeper than any parser likes. Each comes with a short label, which names the request's shape
 * in reports.
 */
final class Junk {
  /** A value and what it is. */
  record Bad(String label, J value) {
  }

  private Junk() {
  }

  static final List<Bad> STRINGS = List.of(
    str("empty", ""),
    str("blank", " \t "),
    str("newline", "\n"),
    str("len-257", "u".repeat(257)),
    str("len-4097", "q".repeat(4097)),
    str("len-16385", "t".repeat(16_385)),
    str("len-70000", "h".repeat(70_000)),
    str("unicode", "Ünïcödé 日本語 ✓ 🦄"),
    str("combining", "e\u0301\u0301\u0301\u0301"),
    str("rtl-override", "\u202Eevil\u202C"),
    str("zero-width", "\u200B\u200D\uFEFF"),
    str("nul", "a\u0000b"),
    str("controls", "\u0001\u0007\u001b[31m\u007f"),
    str("c1-controls", "\u0085\u009f"),
    str("lone-high-surrogate", "x\uD800"),
    str("lone-low-surrogate", "\uDFFFx"),
    str("reversed-surrogates", "\uDC00\uD800"),
    str("noncharacters", "\uFFFF\uFFFE"),
    str("astral", "\uDBFF\uDFFF\uD83D\uDE00"),
    str("emoji-5000", "\uD83E\uDD84".repeat(5_000)),
    str("percent", "%zz%00%ff"),
    str("traversal", "../../../etc/passwd"),
    str("sql", "' OR '1'='1' --"),
    str("lucene-syntax", "*:* OR user_id:* AND NOT x~2"),
    str("jndi", "${jndi:ldap://127.0.0.1:1/x}"),
    str("template", "{{7*7}}${7*7}#{7*7}"),
    str("html", "<script>alert(1)</script>"),
    str("json-text", "{\"user_id\":\"x\"}"),
    str("backslashes", "\\\\\\"),
    str("quotes", "\"\"\""),
    str("crlf-header", "a\r\nX-Injected: 1"),
    str("word-null", "null"),
    str("word-true", "true"),
    str("word-nan", "NaN"),
    str("word-minus-zero", "-0"),
    str("word-1e309", "1e309"),
    str("leading-space", "  padded  "));

  /** Byte sequences UTF-8 forbids: overlong forms, surrogates, values past U+10FFFF, stray bytes. */
  static final List<Bad> INVALID_UTF8 = List.of(
    bytes("overlong-slash-2", "c0af"),
    bytes("overlong-slash-3", "e080af"),
    bytes("overlong-slash-4", "f08080af"),
    bytes("overlong-nul", "c080"),
    bytes("cesu-surrogate", "eda080"),
    bytes("past-10ffff", "f4908080"),
    bytes("stray-continuation", "80"),
    bytes("ff-fe", "fffe"),
    bytes("truncated-sequence", "e282"));

  static final List<Bad> NUMBERS = List.of(
    num("minus-one", "-1"),
    num("zero", "0"),
    num("minus-zero", "-0"),
    num("half", "0.5"),
    num("one-and-half", "1.5"),
    num("one-point-zero", "1.0"),
    num("1e309", "1e309"),
    num("-1e309", "-1e309"),
    num("1e-400", "1e-400"),
    num("int-max-plus-one", "2147483648"),
    num("long-max-plus-one", "9223372036854775808"),
    num("2^64", "18446744073709551616"),
    num("long-min-minus-one", "-9223372036854775809"),
    num("1001", "1001"),
    num("100000", "100000"),
    num("exponent", "1E2"),
    num("tiny", "0.0000001"));

  /** Tokens that look like numbers to a person and are not JSON. */
  static final List<Bad> NOT_JSON_NUMBERS = List.of(
    raw("NaN", "NaN"),
    raw("Infinity", "Infinity"),
    raw("-Infinity", "-Infinity"),
    raw("plus-sign", "+1"),
    raw("leading-zero", "01"),
    raw("bare-fraction", ".5"),
    raw("trailing-dot", "1."),
    raw("hex", "0x10"),
    raw("underscore", "1_000"));

  /** One value of each JSON type, for putting where another type belongs. */
  static final List<Bad> EVERY_TYPE = List.of(
    new Bad("string", J.str("x")),
    new Bad("integer", J.num(7)),
    new Bad("number", J.num("1.5")),
    new Bad("true", J.bool(true)),
    new Bad("false", J.bool(false)),
    new Bad("null", J.nul()),
    new Bad("empty-object", J.obj()),
    new Bad("object", J.obj().put("a", J.num(1))),
    new Bad("empty-array", J.arr()),
    new Bad("array", J.arr(J.num(1), J.str("a"))));

  static Bad string(Dice dice) {
    return dice.pick(STRINGS);
  }

  static Bad invalidUtf8(Dice dice) {
    Bad bytes = dice.pick(INVALID_UTF8);
    byte[] raw = ((J.RawStr) bytes.value()).content();
    byte[] framed = new byte[raw.length + 2];
    framed[0] = 'a';
    System.arraycopy(raw, 0, framed, 1, raw.length);
    framed[framed.length - 1] = 'z';
    return new Bad(bytes.label(), new J.RawStr(framed));
  }

  static Bad number(Dice dice) {
    return dice.chance(0.75) ? dice.pick(NUMBERS) : dice.pick(NOT_JSON_NUMBERS);
  }

  /** A value of a JSON type other than {@code allowed} (JSON Schema type names; "number" admits integers). */
  static List<Bad> wrongTypes(List<String> allowed) {
    List<Bad> wrong = new ArrayList<>();
    for (Bad candidate : EVERY_TYPE) {
      if (!Schema.typeAllowed(allowed, candidate.value())) {
        wrong.add(candidate);
      }
    }
    return wrong;
  }

  /** {@code [[[...]]]} or {@code {"a":{"a":...}}}, {@code depth} levels deep, as one raw token. */
  static Bad deep(Dice dice) {
    int depth = dice.oneOf(64, 999, 1001, 5_000, 50_000);
    boolean arrays = dice.chance(0.5);
    StringBuilder text = new StringBuilder(depth * 6);
    for (int i = 0; i < depth; i++) {
      text.append(arrays ? "[" : "{\"a\":");
    }
    text.append("1");
    for (int i = 0; i < depth; i++) {
      text.append(arrays ? "]" : "}");
    }
    return new Bad((arrays ? "array" : "object") + "-depth-" + depth, new J.Lit(text.toString(),
      arrays ? "array" : "object"));
  }

  /** Anything at all: a bad string, number, wrong type or deep nesting. */
  static Bad anything(Dice dice) {
    return switch (dice.below(10)) {
      case 0, 1, 2, 3 -> string(dice);
      case 4, 5 -> number(dice);
      case 6 -> deep(dice);
      case 7 -> invalidUtf8(dice);
      default -> dice.pick(EVERY_TYPE);
    };
  }

  private static Bad str(String label, String value) {
    return new Bad(label, J.str(value));
  }

  private static Bad num(String label, String token) {
    return new Bad(label, J.num(token));
  }

  private static Bad raw(String label, String token) {
    return new Bad(label, J.raw(token));
  }

  private static Bad bytes(String label, String hex) {
    return new Bad(label, new J.RawStr(HexFormat.of().parseHex(hex)));
  }
}
