package dev.memgate.gateway.fuzz;

import dev.memgate.gateway.fuzz.HttpCase.Aim;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Bad and borderline MCP messages, the same for every transport: broken JSON-RPC envelopes (jsonrpc, ids of every
 * type, methods, params), batches, notifications that carry ids, responses nobody asked for, unknown methods, bad
 * tool names and tool arguments generated from each tool's own input schema (as {@code tools/list} gives it), bad
 * resource URIs, and text that is not JSON at all. Tool calls that write go to the protected user's session only
 * when they certainly break a rule; others go to the sandbox user's session.
 */
final class McpGrammar {
  /** One message: its shape for reports, its bytes, and which session it must be sent in. */
  record Message(String shape, byte[] bytes, Aim aim) {
    String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** A tool as tools/list describes it. */
  record Tool(String name, JsonObject inputSchema) {
    boolean writes() {
      return WRITE_TOOLS.contains(name);
    }
  }

  static final Set<String> WRITE_TOOLS = Set.of("add_memories", "update_memory", "delete_memories",
    "delete_all_memories");
  private static final List<String> VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");

  private final List<Tool> tools;
  private final Territory territory;

  McpGrammar(List<Tool> tools, Territory territory) {
    this.tools = tools;
    this.territory = territory;
  }

  /**
   * Message number {@code index} for an initialized session.
   *
   * @param sandbox whether a sandbox session is at hand; without one, nothing that might write is generated
   */
  Message next(Dice dice, int index, boolean sandbox) {
    int roll = dice.below(100);
    Message message;
    if (roll < 15) {
      message = envelope(dice, index);
    } else if (roll < 55) {
      message = toolArguments(dice, index);
    } else if (roll < 65) {
      message = toolCallParams(dice, index);
    } else if (roll < 75) {
      message = otherMethods(dice, index);
    } else if (roll < 80) {
      message = notification(dice);
    } else if (roll < 83) {
      message = response(dice);
    } else if (roll < 90) {
      message = batch(dice, index);
    } else {
      message = malformed(dice, index);
    }
    if (message.aim() == Aim.SANDBOX && !sandbox) {
      return next(dice, index, false);
    }
    return message;
  }

  // ---- envelopes ----------------------------------------------------------------------------------------------

  static J.Obj request(Object id, String method, J params) {
    J.Obj message = J.obj().put("jsonrpc", J.str("2.0")).put("id", id instanceof J j ? j : J.of(id))
      .put("method", J.str(method));
    return params == null ? message : message.put("params", params);
  }

  /** A harmless request: ping, a listing, a read-only tool. */
  private J.Obj harmless(Dice dice, int index) {
    String id = "f" + index;
    return switch (dice.below(5)) {
      case 0 -> request(id, "ping", null);
      case 1 -> request(id, "tools/list", J.obj());
      case 2 -> request(id, "resources/list", J.obj());
      case 3 -> callTool(id, "list_memories", J.obj().put("limit", J.num(2)));
      default -> callTool(id, "search_memory", J.obj().put("query", J.str("what do I like")));
    };
  }

  static J.Obj callTool(Object id, String tool, J arguments) {
    J.Obj params = J.obj().put("name", J.str(tool));
    if (arguments != null) {
      params.put("arguments", arguments);
    }
    return request(id, "tools/call", params);
  }

  private Message envelope(Dice dice, int index) {
    J.Obj message = harmless(dice, index);
    String method = ((J.Str) message.get("method")).value();
    String label;
    switch (dice.below(6)) {
      case 0 -> {
        J version = dice.oneOf(null, J.str("1.0"), J.num("2.0"), J.str("2.0 "), J.nul(), J.str(""), J.num(2),
          J.str("2"));
        if (version == null) {
          message.remove("jsonrpc");
        } else {
          message.put("jsonrpc", version);
        }
        label = "jsonrpc=" + (version == null ? "missing" : Excerpts.of(version.text(), 12));
      }
      case 1 -> {
        Junk.Bad id = dice.chance(0.5) ? dice.pick(Junk.EVERY_TYPE) : dice.oneOf(
          new Junk.Bad("negative", J.num(-7)), new Junk.Bad("zero", J.num(0)), new Junk.Bad("minus-zero", J.num("-0")),
          new Junk.Bad("fraction", J.num("1.5")), new Junk.Bad("1e309", J.num("1e309")),
          new Junk.Bad("2^70", J.num("1180591620717411303424")), new Junk.Bad("empty-string", J.str("")),
          new Junk.Bad("long-string", J.str("i".repeat(10_000))), new Junk.Bad("unicode", J.str("\u2603\uD83D\uDE00")),
          new Junk.Bad("one-point-zero", J.num("1.0")), new Junk.Bad("exponent", J.num("1E3")));
        message.put("id", id.value());
        label = "id=" + id.label();
      }
      case 2 -> {
        J name = dice.oneOf(null, J.num(5), J.str(""), J.str("foo/bar"), J.str(method + " "),
          J.str(method.toUpperCase()), J.str("rpc.discover"), J.str("m".repeat(5_000)), J.nul(), J.arr(),
          J.str("tools/"), J.str("../tools/list"));
        if (name == null) {
          message.remove("method");
        } else {
          message.put("method", name);
        }
        label = "method=" + (name == null ? "missing" : Excerpts.of(name.text(), 16));
      }
      case 3 -> {
        Junk.Bad params = dice.pick(Junk.EVERY_TYPE);
        message.put("params", params.value());
        label = "params=" + params.label();
      }
      case 4 -> {
        Junk.Bad extra = Junk.anything(dice);
        message.put(dice.oneOf("extra", "result", "error", "__proto__"), extra.value());
        label = "extra-member";
      }
      default -> {
        message.remove("id");
        message.put("id", J.nul());
        label = "id=null";
      }
    }
    return new Message("envelope " + method + " " + label, message.bytes(), Aim.READ);
  }

  // ---- tools --------------------------------------------------------------------------------------------------

  private J.Obj baselineArguments(Tool tool, int index, boolean protect) {
    List<String> own = protect ? territory.mcpIds() : territory.mcpSandboxIds();
    String id = own.get(index % own.size());
    return switch (tool.name()) {
      case "add_memories" -> J.obj().put("text", J.str("mcp fuzz note " + index + " about sandbox hiking"));
      case "search_memory", "search_graph" -> J.obj().put("query", J.str("what do I like"));
      case "list_memories" -> J.obj().put("limit", J.num(5));
      case "get_memory", "memory_history" -> J.obj().put("memory_id", J.str(id));
      case "update_memory" -> J.obj().put("memory_id", J.str(id)).put("text", J.str("updated mcp note " + index));
      case "delete_memories" -> J.obj().put("memory_ids", J.arr(J.str(id)));
      default -> J.obj();
    };
  }

  /** A tool's arguments broken by its input schema or the service's rules, or merely odd. */
  private Message toolArguments(Dice dice, int index) {
    Tool tool = dice.pick(tools);
    if (dice.chance(0.12)) {
      return crossUser(dice, index);
    }
    JsonObject schema = tool.inputSchema();
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    J.Obj arguments = baselineArguments(tool, index, true);
    List<String> fields = new ArrayList<>(properties.fieldNames());
    fields.add("(unknown)");
    String field = dice.pick(fields);
    String label;
    boolean certain;
    if (field.equals("(unknown)")) {
      Junk.Bad value = Junk.anything(dice);
      arguments.put(dice.oneOf("user_id", "unknown", "", "TEXT", "__proto__"), value.value());
      label = "unknown-argument=" + value.label();
      certain = true;
    } else {
      JsonObject property = properties.getJsonObject(field);
      List<String> modes = new ArrayList<>(List.of("wrong-type", "constraint", "junk", "junk", "null"));
      if (schema.getJsonArray("required", new io.vertx.core.json.JsonArray()).contains(field)) {
        modes.add("missing");
      }
      String mode = dice.pick(modes);
      Junk.Bad value = switch (mode) {
        case "wrong-type" -> {
          List<Junk.Bad> wrong = Junk.wrongTypes(Schema.types(property));
          yield wrong.isEmpty() ? Junk.anything(dice) : dice.pick(wrong);
        }
        case "constraint" -> {
          List<Junk.Bad> breakers = Schema.constraintBreakers(property);
          yield breakers.isEmpty() ? Junk.anything(dice) : dice.pick(breakers);
        }
        case "null" -> new Junk.Bad("null", J.nul());
        case "missing" -> null;
        default -> field.equals("memory_ids") && dice.chance(0.5) ? idLists(dice) : Junk.anything(dice);
      };
      if (value == null) {
        arguments.remove(field);
        label = field + " missing";
        certain = true;
      } else {
        arguments.put(field, value.value());
        label = field + "=" + mode + ":" + value.label();
        certain = Schema.certainlyBreaks(property, value.value()) || Rules.refuses(field, value.value())
          || field.equals("memory_ids") && value.label().startsWith("with-unknown");
      }
    }
    Aim aim = !tool.writes() ? Aim.READ : certain ? Aim.PROTECTED : Aim.SANDBOX;
    if (aim == Aim.SANDBOX) {
      // A write that may be valid: the ids it was not fuzzed in become the sandbox user's own.
      J.Obj sandbox = baselineArguments(tool, index, false);
      for (String idField : List.of("memory_id", "memory_ids")) {
        if (!idField.equals(field) && arguments.has(idField)) {
          arguments.put(idField, sandbox.get(idField));
        }
      }
    }
    return new Message("tools/call " + tool.name() + " " + label, callTool("t" + index, tool.name(), arguments)
      .bytes(), aim);
  }

  /** Lists of ids that are partly unknown (nothing may be deleted), duplicated, or odd. */
  private Junk.Bad idLists(Dice dice) {
    String own = dice.pick(territory.mcpIds());
    return switch (dice.below(4)) {
      case 0 -> new Junk.Bad("with-unknown-id", J.arr(J.str(own), J.str("no-such-memory")));
      case 1 -> new Junk.Bad("with-unknown-ids-first", J.arr(J.str("missing-" + dice.nextLong()), J.str(own)));
      case 2 -> new Junk.Bad("with-unknown-and-blank", J.arr(J.str(own), J.str(" ")));
      default -> new Junk.Bad("with-unknown-duplicates", J.arr(J.str(own), J.str(own), J.str("nope")));
    };
  }

  /** Reads and writes of another user's memories, by id: writes must be refused, reads must show nothing. */
  private Message crossUser(Dice dice, int index) {
    String other = dice.pick(territory.protectedIds());
    return switch (dice.below(5)) {
      case 0 -> new Message("tools/call update_memory another user's memory", callTool("x" + index,
        "update_memory", J.obj().put("memory_id", J.str(other)).put("text", J.str("overwritten by mcp"))).bytes(),
        Aim.PROTECTED);
      case 1 -> new Message("tools/call delete_memories another user's memory", callTool("x" + index,
        "delete_memories", J.obj().put("memory_ids", J.arr(J.str(other)))).bytes(), Aim.PROTECTED);
      case 2 -> new Message("tools/call get_memory another user's memory", callTool("x" + index, "get_memory",
        J.obj().put("memory_id", J.str(other))).bytes(), Aim.READ);
      case 3 -> new Message("tools/call memory_history another user's memory", callTool("x" + index,
        "memory_history", J.obj().put("memory_id", J.str(other))).bytes(), Aim.READ);
      default -> new Message("resources/read another user's memory", request("x" + index, "resources/read",
        J.obj().put("uri", J.str("memgate://memories/" + other))).bytes(), Aim.READ);
    };
  }

  /** tools/call itself broken: its params, its name, its arguments as a whole. */
  private Message toolCallParams(Dice dice, int index) {
    String id = "p" + index;
    Tool tool = dice.pick(tools);
    return switch (dice.below(8)) {
      case 0 -> new Message("tools/call params=null", request(id, "tools/call", J.nul()).bytes(), Aim.PROTECTED);
      case 1 -> {
        Junk.Bad params = dice.pick(Junk.EVERY_TYPE);
        yield new Message("tools/call params=" + params.label(), request(id, "tools/call", params.value()).bytes(),
          Aim.PROTECTED);
      }
      case 2 -> {
        Junk.Bad name = dice.chance(0.5) ? dice.pick(Junk.EVERY_TYPE) : Junk.string(dice);
        yield new Message("tools/call name=" + name.label(), request(id, "tools/call", J.obj().put("name",
          name.value()).put("arguments", J.obj())).bytes(), Aim.PROTECTED);
      }
      case 3 -> {
        String name = dice.oneOf(tool.name().toUpperCase(), tool.name() + " ", " " + tool.name(),
          tool.name().replace('_', '-'), "delete_all_memories\u0000", "add_memories/../delete_all_memories",
          "unknown_tool");
        yield new Message("tools/call name=near-miss", callTool(id, name, J.obj()).bytes(), Aim.PROTECTED);
      }
      case 4 -> new Message("tools/call without name", request(id, "tools/call", J.obj().put("arguments", J.obj()))
        .bytes(), Aim.PROTECTED);
      case 5 -> {
        Junk.Bad arguments = dice.pick(Junk.EVERY_TYPE);
        // null arguments are no arguments: for delete_all_memories that is a valid call.
        boolean object = arguments.value() instanceof J.Obj || arguments.label().equals("null");
        yield new Message("tools/call " + tool.name() + " arguments=" + arguments.label(), callTool(id, tool.name(),
          arguments.value()).bytes(), object && tool.writes() && !tool.name().equals("delete_all_memories")
          ? Aim.PROTECTED : object && tool.writes() ? Aim.SANDBOX : tool.writes() ? Aim.PROTECTED : Aim.READ);
      }
      case 6 -> {
        Junk.Bad meta = Junk.anything(dice);
        yield new Message("tools/call _meta=" + meta.label(), request(id, "tools/call", J.obj().put("name",
          J.str("list_memories")).put("arguments", J.obj()).put("_meta", meta.value())).bytes(), Aim.READ);
      }
      default -> new Message("tools/call arguments=deep", callTool(id, tool.name(), Junk.deep(dice).value()).bytes(),
        tool.writes() ? Aim.PROTECTED : Aim.READ);
    };
  }

  private Message otherMethods(Dice dice, int index) {
    String id = "o" + index;
    return switch (dice.below(7)) {
      case 0 -> {
        Junk.Bad cursor = dice.chance(0.5) ? dice.pick(Junk.EVERY_TYPE) : dice.oneOf(
          new Junk.Bad("base64-far", J.str("dG9vbHM6OTk5")), new Junk.Bad("base64-negative", J.str("dG9vbHM6LTE")),
          new Junk.Bad("not-base64", J.str("%%%")), new Junk.Bad("empty", J.str("")),
          new Junk.Bad("base64-other", J.str("b3RoZXI6MQ")));
        yield new Message("tools/list cursor=" + cursor.label(), request(id, "tools/list", J.obj()
          .put("cursor", cursor.value())).bytes(), Aim.READ);
      }
      case 1 -> {
        Junk.Bad uri = dice.chance(0.3) ? dice.pick(Junk.EVERY_TYPE) : dice.oneOf(
          new Junk.Bad("traversal", J.str("memgate://memories/../../etc/passwd")),
          new Junk.Bad("file", J.str("file:///etc/passwd")), new Junk.Bad("empty", J.str("")),
          new Junk.Bad("prefix-only", J.str("memgate://memories/")), new Junk.Bad("other-scheme", J.str("http://x/")),
          new Junk.Bad("case", J.str("MEMGATE://MEMORIES")), new Junk.Bad("unknown-id",
            J.str("memgate://memories/" + "z".repeat(300))), Junk.string(dice));
        yield new Message("resources/read uri=" + uri.label(), request(id, "resources/read", J.obj().put("uri",
          uri.value())).bytes(), Aim.READ);
      }
      case 2 -> new Message("initialize again", request(id, "initialize", initializeParams(dice.pick(VERSIONS),
        null)).bytes(), Aim.READ);
      case 3 -> {
        Junk.Bad params = Junk.anything(dice);
        String method = dice.oneOf("ping", "resources/list", "resources/templates/list", "tools/list");
        yield new Message(method + " params.junk=" + params.label(), request(id, method, J.obj()
          .put("junk", params.value())).bytes(), Aim.READ);
      }
      case 4 -> {
        String method = dice.oneOf("prompts/list", "logging/setLevel", "completion/complete", "sampling/createMessage",
          "roots/list", "resources/subscribe", "tasks/get", "elicitation/create");
        yield new Message("unsupported method " + method, request(id, method, J.obj()).bytes(), Aim.READ);
      }
      case 5 -> new Message("initialize again with broken params", request(id, "initialize",
        brokenInitializeParams(dice).value()).bytes(), Aim.READ);
      default -> new Message("resources/read params missing", request(id, "resources/read", null).bytes(),
        Aim.READ);
    };
  }

  private Message notification(Dice dice) {
    String method = dice.oneOf("notifications/initialized", "notifications/cancelled", "notifications/progress",
      "notifications/unknown", "notifications/roots/list_changed", "tools/call");
    J.Obj message = J.obj().put("jsonrpc", J.str("2.0")).put("method", J.str(method));
    String label;
    switch (dice.below(4)) {
      case 0 -> {
        message.put("id", J.str("n" + dice.below(1000)));
        label = "with-id";
      }
      case 1 -> {
        message.put("params", Junk.anything(dice).value());
        label = "params-junk";
      }
      case 2 -> {
        message.put("params", J.obj().put("requestId", dice.pick(Junk.EVERY_TYPE).value())
          .put("reason", Junk.string(dice).value()));
        label = "cancel-junk";
      }
      default -> {
        message.remove("jsonrpc");
        label = "without-jsonrpc";
      }
    }
    return new Message("notification " + method + " " + label, message.bytes(), method.equals("tools/call")
      ? Aim.PROTECTED : Aim.READ);
  }

  private Message response(Dice dice) {
    J.Obj message = J.obj().put("jsonrpc", J.str("2.0")).put("id", dice.pick(Junk.EVERY_TYPE).value());
    switch (dice.below(4)) {
      case 0 -> message.put("result", J.obj());
      case 1 -> message.put("error", J.obj().put("code", J.num(-32000)).put("message", J.str("x")));
      case 2 -> message.put("error", dice.pick(Junk.EVERY_TYPE).value());
      default -> message.put("result", J.obj()).put("error", J.obj());
    }
    return new Message("response sent to the server", message.bytes(), Aim.READ);
  }

  private Message batch(Dice dice, int index) {
    J.Arr batch = J.arr();
    String label;
    switch (dice.below(7)) {
      case 0 -> label = "empty";
      case 1 -> {
        batch.add(J.num(1)).add(J.str("x"));
        label = "of-non-objects";
      }
      case 2 -> {
        for (int i = 0; i < dice.oneOf(2, 200); i++) {
          batch.add(request("b" + index + "-" + i, "ping", null));
        }
        label = "of-pings";
      }
      case 3 -> {
        batch.add(J.arr(request("b" + index, "ping", null)));
        label = "nested";
      }
      case 4 -> {
        batch.add(J.obj().put("jsonrpc", J.str("2.0")).put("method", J.str("notifications/initialized")));
        label = "of-notifications";
      }
      case 5 -> {
        batch.add(request("b" + index, "initialize", initializeParams("2025-03-26", null)))
          .add(request("c" + index, "ping", null));
        label = "with-initialize";
      }
      default -> {
        batch.add(callTool("b" + index, "delete_all_memories", J.obj().put("unknown", J.num(1))))
          .add(callTool("c" + index, "add_memories", J.obj().put("text", J.str(""))))
          .add(request("d" + index, "ping", null))
          .add(J.obj().put("jsonrpc", J.str("1.0")).put("id", J.num(3)).put("method", J.str("ping")));
        label = "of-refused-writes";
      }
    }
    return new Message("batch " + label, batch.bytes(), Aim.PROTECTED);
  }

  /** Text that is not a JSON-RPC message at all, or not quite JSON. */
  private Message malformed(Dice dice, int index) {
    byte[] good = harmless(dice, index).bytes();
    String text = new String(good, StandardCharsets.UTF_8);
    String label;
    byte[] bytes;
    switch (dice.below(15)) {
      case 0 -> {
        label = "truncated";
        bytes = java.util.Arrays.copyOf(good, dice.between(1, good.length - 1));
      }
      case 1 -> {
        label = "trailing-garbage";
        bytes = (text + dice.oneOf("x", "}", "{}", " {\"jsonrpc\":\"2.0\"}", ",")).getBytes(StandardCharsets.UTF_8);
      }
      case 2 -> {
        label = "bom";
        bytes = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, good);
      }
      case 3 -> {
        label = "empty";
        bytes = new byte[0];
      }
      case 4 -> {
        label = "whitespace";
        bytes = "   \t ".getBytes(StandardCharsets.UTF_8);
      }
      case 5 -> {
        label = "not-json";
        bytes = dice.oneOf("hello", "<xml/>", "null", "42", "\"text\"", "true", "{", "}", "[", "{}", "[[]]")
          .getBytes(StandardCharsets.UTF_8);
      }
      case 6 -> {
        label = "deeply-nested";
        bytes = Junk.deep(dice).value().bytes();
      }
      case 7 -> {
        label = "duplicate-method";
        bytes = text.replaceFirst("\"method\":", "\"method\":\"tools/list\",\"method\":")
          .getBytes(StandardCharsets.UTF_8);
      }
      case 8 -> {
        label = "non-json-number-id";
        bytes = text.replaceFirst("\"id\":\"[^\"]*\"", "\"id\":" + dice.pick(Junk.NOT_JSON_NUMBERS).value().text())
          .getBytes(StandardCharsets.UTF_8);
      }
      case 9 -> {
        label = "invalid-utf8";
        byte[] bad = ((J.RawStr) Junk.invalidUtf8(dice).value()).content();
        int at = text.indexOf("\"id\":\"") + 6;
        bytes = concat(concat(java.util.Arrays.copyOf(good, at), bad), java.util.Arrays.copyOfRange(good, at,
          good.length));
      }
      case 10 -> {
        label = "single-quotes";
        bytes = text.replace('"', '\'').getBytes(StandardCharsets.UTF_8);
      }
      case 11 -> {
        label = "comment";
        bytes = ("/* c */" + text).getBytes(StandardCharsets.UTF_8);
      }
      case 12 -> {
        label = "raw-control-char";
        bytes = text.replaceFirst("\"id\":\"", "\"id\":\"\u0001").getBytes(StandardCharsets.UTF_8);
      }
      case 13 -> {
        label = "lone-surrogate-escape";
        bytes = text.replaceFirst("\"id\":\"", "\"id\":\"\\\\ud800").getBytes(StandardCharsets.UTF_8);
      }
      default -> {
        label = "pretty-printed-multiline";
        bytes = text.replace(",", ",\n  ").getBytes(StandardCharsets.UTF_8);
      }
    }
    return new Message("malformed " + label, bytes, Aim.READ);
  }

  // ---- initialize ---------------------------------------------------------------------------------------------

  /** initialize's params; {@code user} names the session's user in capabilities.experimental, or null. */
  static J.Obj initializeParams(String version, String user) {
    J.Obj capabilities = J.obj();
    if (user != null) {
      capabilities.put("experimental", J.obj().put("memgate", J.obj().put("user_id", J.str(user))));
    }
    return J.obj().put("protocolVersion", J.str(version)).put("capabilities", capabilities)
      .put("clientInfo", J.obj().put("name", J.str("memgate-fuzz")).put("version", J.str("1")));
  }

  /** initialize params that must be refused: a session they were sent on stays uninitialized. */
  static Junk.Bad brokenInitializeParams(Dice dice) {
    J.Obj params = initializeParams("2025-11-25", null);
    return switch (dice.below(9)) {
      case 0 -> {
        params.remove("protocolVersion");
        yield new Junk.Bad("protocolVersion missing", params);
      }
      case 1 -> {
        Junk.Bad version = dice.pick(Junk.wrongTypes(List.of("string")));
        params.put("protocolVersion", version.value());
        yield new Junk.Bad("protocolVersion=" + version.label(), params);
      }
      case 2 -> {
        Junk.Bad info = dice.pick(Junk.wrongTypes(List.of("object", "null")));
        params.put("clientInfo", info.value());
        yield new Junk.Bad("clientInfo=" + info.label(), params);
      }
      case 3 -> {
        Junk.Bad caps = dice.pick(Junk.wrongTypes(List.of("object")));
        params.put("capabilities", caps.value());
        yield new Junk.Bad("capabilities=" + caps.label(), params);
      }
      case 4 -> {
        Junk.Bad experimental = dice.pick(Junk.wrongTypes(List.of("object")));
        params.put("capabilities", J.obj().put("experimental", experimental.value()));
        yield new Junk.Bad("capabilities.experimental=" + experimental.label(), params);
      }
      case 5 -> {
        J user = dice.oneOf(J.num(5), J.str(""), J.str(" "), J.str("a\u0001b"), J.str("u".repeat(300)), J.arr(),
          J.bool(true));
        params.put("capabilities", J.obj().put("experimental", J.obj().put("memgate", J.obj().put("user_id", user))));
        yield new Junk.Bad("experimental user_id=" + Excerpts.of(user.text(), 12), params);
      }
      case 6 -> {
        params.put("_meta", J.obj().put("dev.memgate/user_id", J.str("one")));
        params.put("capabilities", J.obj().put("experimental", J.obj().put("memgate", J.obj().put("user_id",
          J.str("two")))));
        yield new Junk.Bad("two different users", params);
      }
      case 7 -> {
        Junk.Bad meta = dice.pick(Junk.wrongTypes(List.of("object")));
        params.put("_meta", meta.value());
        yield new Junk.Bad("_meta=" + meta.label(), params);
      }
      default -> {
        Junk.Bad whole = dice.pick(Junk.wrongTypes(List.of("object")));
        yield new Junk.Bad("params=" + whole.label(), whole.value());
      }
    };
  }

  /**
   * What a client might send before its session is initialized: calls that must wait for initialize, and
   * initialize requests that must be refused. None of them may initialize the session.
   */
  static Message beforeInitialize(Dice dice, int index) {
    String id = "pre" + index;
    return switch (dice.below(6)) {
      case 0 -> new Message("before initialize tools/call", callTool(id, "delete_all_memories", J.obj()).bytes(),
        Aim.PROTECTED);
      case 1 -> new Message("before initialize tools/list", request(id, "tools/list", J.obj()).bytes(), Aim.READ);
      case 2 -> new Message("before initialize batch", J.arr(request(id, "ping", null),
        callTool(id + "b", "delete_all_memories", J.obj())).bytes(), Aim.PROTECTED);
      case 3 -> new Message("before initialize resources/read", request(id, "resources/read", J.obj().put("uri",
        J.str("memgate://memories"))).bytes(), Aim.READ);
      default -> {
        Junk.Bad params = brokenInitializeParams(dice);
        yield new Message("initialize " + params.label(), request(id, "initialize", params.value()).bytes(),
          Aim.READ);
      }
    };
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
