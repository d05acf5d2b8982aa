package dev.memgate.gateway.fuzz;

import java.util.List;

/**
 * Values for the memory API's richer fields, where a schema says little and the service's rules say much: an add's
 * messages, metadata, and a search's filters. Each is broken in one of the ways the rules forbid, or merely odd.
 */
final class BodyJunk {
  private static final List<String> FILTER_OPS = List.of("eq", "ne", "gt", "gte", "lt", "lte", "in", "nin",
    "contains", "icontains", "exists");
  private static final List<String> FILTER_FIELDS = List.of("source", "topic", "n", "user_id", "agent_id", "run_id",
    "actor_id", "role", "created_at", "updated_at", "nested.key");

  private BodyJunk() {
  }

  /** The messages of an add, broken in one of the ways the service's rules forbid, or merely odd. */
  static Junk.Bad messages(Dice dice) {
    J content = J.str("I like tea");
    return switch (dice.below(16)) {
      case 0 -> Junk.string(dice);
      case 1 -> new Junk.Bad("empty-list", J.arr());
      case 2 -> {
        J.Arr many = J.arr();
        for (int i = 0; i <= Rules.MAX_MESSAGES; i++) {
          many.add(J.obj().put("role", J.str("user")).put("content", J.str("m" + i)));
        }
        yield new Junk.Bad("too-many-messages", many);
      }
      case 3 -> {
        Junk.Bad item = dice.pick(Junk.EVERY_TYPE);
        yield new Junk.Bad("item-" + item.label(), J.arr(item.value()));
      }
      case 4 -> {
        Junk.Bad role = dice.chance(0.5) ? dice.pick(Junk.EVERY_TYPE) : dice.oneOf(
          new Junk.Bad("role-bogus", J.str("bogus")), new Junk.Bad("role-upper", J.str("USER")),
          new Junk.Bad("role-empty", J.str("")));
        yield new Junk.Bad("item.role=" + role.label(), J.arr(J.obj().put("role", role.value())
          .put("content", content)));
      }
      case 5 -> {
        Junk.Bad bad = dice.chance(0.5) ? dice.pick(Junk.EVERY_TYPE) : Junk.string(dice);
        yield new Junk.Bad("item.content=" + bad.label(), J.arr(J.obj().put("role", J.str("user"))
          .put("content", bad.value())));
      }
      case 6 -> new Junk.Bad("item.content=image-part", J.arr(J.obj().put("role", J.str("user"))
        .put("content", J.arr(J.obj().put("type", J.str("image_url")).put("image_url",
          J.obj().put("url", J.str("http://127.0.0.1:1/x.png")))))));
      case 7 -> new Junk.Bad("item.content=text-part-without-text", J.arr(J.obj().put("role", J.str("user"))
        .put("content", J.arr(J.obj().put("type", J.str("text")).put("text", J.num(5))))));
      case 8 -> {
        Junk.Bad name = dice.chance(0.5) ? dice.pick(Junk.EVERY_TYPE) : Junk.string(dice);
        yield new Junk.Bad("item.name=" + name.label(), J.arr(J.obj().put("role", J.str("user"))
          .put("content", content).put("name", name.value())));
      }
      case 9 -> new Junk.Bad("item-without-content", J.arr(J.obj().put("role", J.str("user"))));
      case 10 -> new Junk.Bad("system-only", J.arr(J.obj().put("role", J.str("system")).put("content", content)));
      case 11 -> {
        Junk.Bad extra = Junk.anything(dice);
        yield new Junk.Bad("item.unknown=" + extra.label(), J.arr(J.obj().put("role", J.str("user"))
          .put("content", content).put("extra", extra.value())));
      }
      case 12 -> new Junk.Bad("single-object-" + "bad-role", J.obj().put("role", J.str("narrator"))
        .put("content", content));
      case 13 -> new Junk.Bad("content-parts-empty", J.arr(J.obj().put("content", J.arr())));
      case 14 -> {
        Junk.Bad bad = Junk.invalidUtf8(dice);
        yield new Junk.Bad("item.content=" + bad.label(), J.arr(J.obj().put("content", bad.value())));
      }
      default -> Junk.deep(dice);
    };
  }

  /** Metadata broken by the service's rules (reserved or blank keys, NUL, infinite numbers, size) or merely odd. */
  static Junk.Bad metadata(Dice dice, boolean update) {
    return switch (dice.below(11)) {
      case 0 -> {
        List<Junk.Bad> wrong = Junk.wrongTypes(List.of("object"));
        yield dice.pick(wrong);
      }
      case 1 -> {
        String key = dice.pick(List.copyOf(Rules.RESERVED));
        yield new Junk.Bad("reserved-key:" + key, J.obj().put(key, J.str("x")));
      }
      case 2 -> new Junk.Bad("blank-key", J.obj().put(dice.oneOf("", " "), J.num(1)));
      case 3 -> new Junk.Bad("control-in-key", J.obj().put("a\u0001b", J.num(1)));
      case 4 -> {
        Junk.Bad key = Junk.string(dice);
        yield new Junk.Bad("key=" + key.label(), J.obj().put(((J.Str) key.value()).value(), J.num(1)));
      }
      case 5 -> {
        Junk.Bad value = Junk.anything(dice);
        yield new Junk.Bad("value=" + value.label(), J.obj().put("source", value.value()));
      }
      case 6 -> new Junk.Bad("null-value" + (update ? "-removes" : ""), J.obj().put("source", J.nul()));
      case 7 -> new Junk.Bad("too-large", J.obj().put("source", J.str("x".repeat(Rules.MAX_METADATA_BYTES * 3))));
      case 8 -> {
        J.Obj many = J.obj();
        for (int i = 0; i < 3000; i++) {
          many.append("k" + i, J.num(i));
        }
        yield new Junk.Bad("3000-keys", many);
      }
      case 9 -> new Junk.Bad("infinite-number", J.obj().put("n", J.num("1e309")));
      default -> new Junk.Bad("nested-" + "deep", J.obj().put("nested", Junk.deep(dice).value()));
    };
  }

  /** Search filters: unknown operators, operands of the wrong type, deep AND/OR/NOT, odd fields. */
  static Junk.Bad filters(Dice dice) {
    String field = dice.pick(FILTER_FIELDS);
    String op = dice.pick(FILTER_OPS);
    return switch (dice.below(13)) {
      case 0 -> {
        List<Junk.Bad> wrong = Junk.wrongTypes(List.of("object"));
        yield dice.chance(0.3) ? Junk.string(dice) : dice.pick(wrong);
      }
      case 1 -> {
        String unknown = dice.oneOf("regex", "$gt", "like", "", "EQ", "__proto__", "in ", "between");
        yield new Junk.Bad("unknown-op", J.obj().put(field, J.obj().put(unknown, J.str("x"))));
      }
      case 2 -> {
        Junk.Bad operand = dice.chance(0.5) ? dice.pick(Junk.EVERY_TYPE) : Junk.anything(dice);
        yield new Junk.Bad(op + "-operand=" + operand.label(), J.obj().put(field, J.obj().put(op,
          operand.value())));
      }
      case 3 -> {
        J.Arr huge = J.arr();
        for (int i = 0; i < 20_000; i++) {
          huge.add(J.num(i));
        }
        yield new Junk.Bad("in-20000", J.obj().put(field, J.obj().put(dice.oneOf("in", "nin"), huge)));
      }
      case 4 -> {
        Junk.Bad date = dice.chance(0.5) ? Junk.string(dice) : Junk.number(dice);
        yield new Junk.Bad("date=" + date.label(), J.obj().put(dice.oneOf("created_at", "updated_at"),
          J.obj().put(dice.oneOf("gte", "lt", "eq"), date.value())));
      }
      case 5 -> {
        Junk.Bad key = Junk.string(dice);
        yield new Junk.Bad("field=" + key.label(), J.obj().put(((J.Str) key.value()).value(), J.str("x")));
      }
      case 6 -> {
        String logic = dice.oneOf("AND", "OR", "NOT", "and", "$or");
        Junk.Bad operand = dice.pick(Junk.EVERY_TYPE);
        yield new Junk.Bad(logic + "=" + operand.label(), J.obj().put(logic, operand.value()));
      }
      case 7 -> {
        int depth = dice.oneOf(10, 100, 1_000, 5_000);
        String logic = dice.oneOf("AND", "OR", "NOT");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < depth; i++) {
          text.append("{\"").append(logic).append("\":[");
        }
        text.append("{\"source\":\"chat\"}");
        for (int i = 0; i < depth; i++) {
          text.append("]}");
        }
        yield new Junk.Bad(logic + "-depth-" + depth, new J.Lit(text.toString(), "object"));
      }
      case 8 -> new Junk.Bad("scope-in-filters", J.obj().put("user_id", J.str("someone-else")));
      case 9 -> new Junk.Bad("star", J.obj().put(dice.oneOf("*", field), J.str("*")));
      case 10 -> new Junk.Bad("empty-" + "logic", J.obj().put(dice.oneOf("AND", "OR", "NOT"), J.arr()));
      case 11 -> new Junk.Bad("mixed", J.obj().put("AND", J.arr(J.obj().put(field, J.obj().put("in", J.arr())),
        J.obj().put("NOT", J.arr(J.obj().put("topic", J.obj().put("exists", J.str("maybe"))))))));
      default -> {
        Junk.Bad value = Junk.anything(dice);
        yield new Junk.Bad("value=" + value.label(), J.obj().put(field, value.value()));
      }
    };
  }
}
