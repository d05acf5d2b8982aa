package dev.memgate.gateway.fuzz;

import dev.memgate.gateway.fuzz.HttpCase.Aim;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Bad and borderline REST requests, generated from the API's own contract ({@code openapi/memgate.yaml}: its
 * routes, query parameters and body schemas) plus the rules the contract leaves to prose (limits, scopes, filters).
 * Each request is a valid one broken in one place: a field of the wrong type or out of range, a required field
 * missing, broken JSON, a bad id or query, a wrong Content-Type, method or Host, a cross-site origin, a malformed
 * HTTP message, an oversized body. A request that breaks a rule for certain may be aimed at protected memories;
 * any other write goes to the sandbox, under a scope of its own when it is an add (see {@link HttpCase#probe}).
 */
final class RestGrammar {
  static final String CONTRACT = "openapi/memgate.yaml";

  /** A query or path parameter of an operation. */
  record Param(String name, String in, JsonObject schema) {
  }

  /** One operation of the contract. */
  record Operation(String id, String method, String path, List<Param> params, JsonObject body) {
    JsonObject property(String name) {
      return body.getJsonObject("properties", new JsonObject()).getJsonObject(name);
    }

    List<String> required() {
      List<String> required = new ArrayList<>();
      if (body.getJsonArray("required") != null) {
        body.getJsonArray("required").forEach(r -> required.add((String) r));
      }
      return required;
    }
  }

  /** A body mutation: its label, the field it touched, and whether the body now certainly breaks a rule. */
  private record Mutation(String label, String field, boolean certain) {
  }

  private static final List<String> FOREIGN_ORIGINS = List.of("http://evil.example", "null",
    "http://localhost.evil.example", "https://127.0.0.1.nip.io", "file://", "http://evil.example:8080",
    "chrome-extension://abcdef");
  private static final List<String> ALLOWED_ORIGINS = List.of("http://localhost:5173", "http://127.0.0.1:3000",
    "https://localhost:8443");
  private static final List<String> NOT_JSON_TYPES = java.util.Arrays.asList(null, "text/plain",
    "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=fuzz",
    "application/xml", "", "*/*", "text/html", "application/octet-stream");
  private static final List<String> JSONISH_TYPES = List.of("application/json; charset=utf-8", "APPLICATION/JSON",
    "application/json;charset=latin1", "application/vnd.api+json", "application/json-patch+json", "text/json",
    "application/json, text/plain", "application/json;;;", " application/json", "application/jsonx");

  private final List<Operation> operations;
  private final Territory territory;

  RestGrammar(Territory territory) {
    this.territory = territory;
    this.operations = contract();
  }

  /** The contract's operations, with references resolved. */
  @SuppressWarnings("unchecked")
  static List<Operation> contract() {
    JsonObject document;
    try (InputStream in = RestGrammar.class.getClassLoader().getResourceAsStream(CONTRACT)) {
      if (in == null) {
        throw new IllegalStateException(CONTRACT + " is not on the class path");
      }
      document = new JsonObject((Map<String, Object>) new Yaml().load(in));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    List<Operation> operations = new ArrayList<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      List<Param> shared = params(document, item.getJsonArray("parameters"));
      for (String method : List.of("get", "post", "put", "delete")) {
        JsonObject operation = item.getJsonObject(method);
        if (operation == null) {
          continue;
        }
        List<Param> params = new ArrayList<>(shared);
        params.addAll(params(document, operation.getJsonArray("parameters")));
        JsonObject body = new JsonObject();
        JsonObject requestBody = operation.getJsonObject("requestBody");
        if (requestBody != null) {
          body = resolve(document, requestBody.getJsonObject("content").getJsonObject("application/json")
            .getJsonObject("schema"));
        }
        operations.add(new Operation(operation.getString("operationId"), method.toUpperCase(), path, params, body));
      }
    }
    return operations;
  }

  private static List<Param> params(JsonObject document, io.vertx.core.json.JsonArray list) {
    List<Param> params = new ArrayList<>();
    if (list != null) {
      for (int i = 0; i < list.size(); i++) {
        JsonObject param = resolve(document, list.getJsonObject(i));
        params.add(new Param(param.getString("name"), param.getString("in"), param.getJsonObject("schema")));
      }
    }
    return params;
  }

  private static JsonObject resolve(JsonObject document, JsonObject node) {
    String ref = node.getString("$ref");
    if (ref == null) {
      return node;
    }
    JsonObject target = document;
    for (String part : ref.substring(2).split("/")) {
      target = target.getJsonObject(part);
    }
    return resolve(document, target);
  }

  Operation op(String id) {
    return operations.stream().filter(o -> o.id().equals(id)).findFirst()
      .orElseThrow(() -> new IllegalStateException("the contract has no operation " + id));
  }

  /** Request number {@code index} of this run. */
  HttpCase next(Dice dice, int index) {
    int roll = dice.below(100);
    if (roll < 26) {
      return bodyField(dice, index);
    } else if (roll < 35) {
      return bodySyntax(dice, index);
    } else if (roll < 46) {
      return query(dice, index);
    } else if (roll < 56) {
      return memoryId(dice, index);
    } else if (roll < 64) {
      return contentType(dice, index);
    } else if (roll < 72) {
      return crossSite(dice, index);
    } else if (roll < 77) {
      return junkHeaders(dice, index);
    } else if (roll < 82) {
      return wrongMethod(dice, index);
    } else if (roll < 92) {
      return protocol(dice, index);
    } else if (roll < 96) {
      return unknownPath(dice, index);
    } else if (roll < 98) {
      return reset(dice);
    } else if (roll < 99) {
      return oversize(dice, index);
    }
    return control(dice, index);
  }

  // ---- bodies -------------------------------------------------------------------------------------------------

  private String probeUser(int index) {
    return "sb-rest-" + index;
  }

  private J.Obj baseline(Operation op, int index, String user) {
    return switch (op.id()) {
      case "addMemories" -> J.obj().put("messages", J.str("fuzz note " + index + " about sandbox gardening"))
        .put("user_id", J.str(user)).put("infer", J.bool(false));
      case "searchMemories" -> J.obj().put("query", J.str("what does the user like")).put("user_id", J.str(user))
        .put("limit", J.num(3));
      case "updateMemory" -> J.obj().put("text", J.str("updated fuzz note " + index));
      default -> J.obj();
    };
  }

  private HttpCase.Builder request(String method, String target) {
    return new HttpCase.Builder(method, target, territory.restHost());
  }

  private static String route(Operation op) {
    return op.path();
  }

  private static String idPath(Operation op, String id) {
    return op.path().replace("{memory_id}", id);
  }

  /** A body field broken by its schema or the service's rules; certain breakage may aim at protected memories. */
  private HttpCase bodyField(Dice dice, int index) {
    Operation op = op(dice.oneOf("addMemories", "addMemories", "addMemories", "searchMemories", "searchMemories",
      "updateMemory"));
    String probe = probeUser(index);
    J.Obj body = baseline(op, index, probe);
    Mutation mutation = mutate(op, body, dice);
    HttpCase.Builder request;
    switch (op.id()) {
      case "addMemories" -> {
        request = request("POST", "/memories");
        boolean scopeField = List.of("user_id", "agent_id", "run_id").contains(mutation.field());
        if (mutation.certain()) {
          request.aim(Aim.PROTECTED);
          if (scopeField) {
            body.put(mutation.field().equals("agent_id") ? "run_id" : "agent_id", J.str(
              mutation.field().equals("agent_id") ? territory.protectedRun() : territory.protectedAgent()));
          } else {
            body.put("user_id", J.str(dice.pick(territory.protectedUsers())));
          }
        } else {
          request.aim(Aim.SANDBOX);
          if (mutation.field().equals("user_id")) {
            body.put("agent_id", J.str(probe));
            request.probe("agent_id=" + probe);
          } else {
            request.probe("user_id=" + probe);
          }
        }
      }
      case "updateMemory" -> {
        String id = mutation.certain() ? dice.pick(territory.protectedIds()) : dice.pick(territory.sandboxIds());
        request = request("PUT", idPath(op, id)).aim(mutation.certain() ? Aim.PROTECTED : Aim.SANDBOX);
      }
      default -> {
        request = request("POST", "/search");
        if (dice.chance(0.5) && !mutation.field().equals("user_id")) {
          body.put("user_id", J.str(dice.pick(territory.protectedUsers())));
        }
      }
    }
    return request.json(body).mutation(mutation.label()).build(route(op));
  }

  private Mutation mutate(Operation op, J.Obj body, Dice dice) {
    if (op.id().equals("addMemories") && dice.chance(0.35)) {
      String field = dice.oneOf("messages", "messages", "metadata", "timestamp", "expiration_date");
      Junk.Bad value = switch (field) {
        case "messages" -> BodyJunk.messages(dice);
        case "metadata" -> BodyJunk.metadata(dice, false);
        default -> dice.chance(0.5) ? Junk.string(dice) : Junk.number(dice);
      };
      body.put(field, value.value());
      return new Mutation("body." + field + "=" + value.label(), field, certain(op, field, value.value()));
    }
    if (op.id().equals("searchMemories") && dice.chance(0.4)) {
      Junk.Bad filters = BodyJunk.filters(dice);
      body.put("filters", filters.value());
      return new Mutation("body.filters=" + filters.label(), "filters", false);
    }
    if (op.id().equals("updateMemory") && dice.chance(0.3)) {
      Junk.Bad metadata = BodyJunk.metadata(dice, true);
      body.put("metadata", metadata.value());
      return new Mutation("body.metadata=" + metadata.label(), "metadata",
        Rules.metadataRefused(metadata.value(), true));
    }
    List<String> fields = new ArrayList<>(op.body().getJsonObject("properties").fieldNames());
    fields.add("unknown_field");
    String field = dice.pick(fields);
    if (field.equals("unknown_field")) {
      String name = dice.oneOf("unknown_field", "__proto__", "constructor", "MESSAGES", "user_id ", "",
        "user\u0000id");
      Junk.Bad value = Junk.anything(dice);
      body.put(name, value.value());
      return new Mutation("body.<unknown field>=" + value.label(), name, value.value() instanceof J.RawStr);
    }
    JsonObject schema = op.property(field);
    List<String> modes = new ArrayList<>(List.of("wrong-type", "constraint", "junk", "junk", "null"));
    if (op.required().contains(field)) {
      modes.add("missing");
    }
    String mode = dice.pick(modes);
    Junk.Bad value = switch (mode) {
      case "wrong-type" -> {
        List<Junk.Bad> wrong = Junk.wrongTypes(Schema.types(schema));
        yield wrong.isEmpty() ? Junk.anything(dice) : dice.pick(wrong);
      }
      case "constraint" -> {
        List<Junk.Bad> breakers = Schema.constraintBreakers(schema);
        yield breakers.isEmpty() ? Junk.anything(dice) : dice.pick(breakers);
      }
      case "null" -> new Junk.Bad("null", J.nul());
      case "missing" -> null;
      default -> Junk.anything(dice);
    };
    if (value == null) {
      body.remove(field);
      return new Mutation("body." + field + " missing", field, true);
    }
    body.put(field, value.value());
    return new Mutation("body." + field + "=" + mode + ":" + value.label(), field,
      certain(op, field, value.value()));
  }

  /** Whether this field's value certainly makes the request fail (REST refuses bytes that are not UTF-8 too). */
  private static boolean certain(Operation op, String field, J value) {
    JsonObject schema = op.property(field);
    return value instanceof J.RawStr || (schema != null && Schema.certainlyBreaks(schema, value))
      || Rules.refuses(field, value);
  }

  /** JSON that is not JSON, or not the JSON asked for: every body goes to the sandbox, under its own scope. */
  private HttpCase bodySyntax(Dice dice, int index) {
    boolean add = dice.chance(0.6);
    Operation op = op(add ? "addMemories" : "searchMemories");
    String probe = probeUser(index);
    J.Obj body = baseline(op, index, probe);
    byte[] good = body.bytes();
    String label;
    byte[] bytes;
    switch (dice.below(16)) {
      case 0 -> {
        int cut = dice.between(1, good.length - 1);
        label = "truncated";
        bytes = java.util.Arrays.copyOf(good, cut);
      }
      case 1 -> {
        String garbage = dice.oneOf("x", "}", "]", "{}", ",", "\u0000", " // c", "\n{\"user_id\":\"other\"}");
        label = "trailing-garbage";
        bytes = concat(good, garbage.getBytes(StandardCharsets.UTF_8));
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
        bytes = " \n\t ".getBytes(StandardCharsets.UTF_8);
      }
      case 5 -> {
        String top = dice.oneOf("null", "[]", "42", "\"text\"", "true", "[" + body.text() + "]");
        label = "top-level-not-object";
        bytes = top.getBytes(StandardCharsets.UTF_8);
      }
      case 6 -> {
        body.append(add ? "messages" : "query", Junk.anything(dice).value());
        label = "duplicate-key";
        bytes = body.bytes();
      }
      case 7 -> {
        label = "single-quotes";
        bytes = body.text().replace('"', '\'').getBytes(StandardCharsets.UTF_8);
      }
      case 8 -> {
        label = "comment";
        bytes = concat("/* c */".getBytes(StandardCharsets.UTF_8), good);
      }
      case 9 -> {
        label = "raw-control-char-in-string";
        bytes = body.text().replaceFirst("fuzz|what", "\u0001").getBytes(StandardCharsets.UTF_8);
      }
      case 10 -> {
        label = "non-json-number";
        body.put(add ? "timestamp" : "limit", dice.pick(Junk.NOT_JSON_NUMBERS).value());
        bytes = body.bytes();
      }
      case 11 -> {
        label = "trailing-comma";
        String text = body.text();
        bytes = (text.substring(0, text.length() - 1) + ",}").getBytes(StandardCharsets.UTF_8);
      }
      case 12 -> {
        label = "invalid-utf8";
        byte[] bad = ((J.RawStr) Junk.invalidUtf8(dice).value()).content();
        int at = body.text().indexOf("fuzz") >= 0 ? new String(good, StandardCharsets.UTF_8).indexOf("fuzz")
          : new String(good, StandardCharsets.UTF_8).indexOf("what");
        bytes = concat(concat(java.util.Arrays.copyOf(good, at), bad), java.util.Arrays.copyOfRange(good, at,
          good.length));
      }
      case 13 -> {
        J.Obj many = body.copy();
        for (int i = 0; i < 10_000; i++) {
          many.append("k" + i, J.num(i));
        }
        label = "10000-unknown-keys";
        bytes = many.bytes();
      }
      case 14 -> {
        label = "escaped-everything";
        StringBuilder escaped = new StringBuilder();
        for (char c : body.text().toCharArray()) {
          escaped.append(c == '"' || c == ':' || c == ',' || c == '{' || c == '}' ? String.valueOf(c)
            : String.format("\\u%04x", (int) c));
        }
        bytes = escaped.toString().replace("\\u0022", "\"").getBytes(StandardCharsets.UTF_8);
      }
      default -> {
        label = "deeply-nested";
        bytes = Junk.deep(dice).value().bytes();
      }
    }
    HttpCase.Builder request = request("POST", add ? "/memories" : "/search").body(bytes, "application/json")
      .mutation("body " + label);
    if (add) {
      request.aim(Aim.SANDBOX).probe("user_id=" + probe);
    }
    return request.build(route(op));
  }

  // ---- URLs ---------------------------------------------------------------------------------------------------

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A query parameter value that is wrong for its schema, already in URL form; label first. */
  private static String[] badQueryValue(Dice dice, JsonObject schema, String base) {
    List<String> types = Schema.types(schema);
    if (types.contains("integer")) {
      String v = dice.oneOf("abc", "-1", "0", "1.5", "1e309", "99999999999999999999", "", "%2B1", "0x10", "%205",
        "5%20", "1,2", "NaN", "Infinity", "2147483648", "1001", "%zz", "-0");
      return new String[] {"integer=" + v, v};
    }
    if (types.contains("boolean")) {
      String v = dice.oneOf("maybe", "1", "yes", "TRUE", "", "null", "%00", "tru");
      return new String[] {"boolean=" + v, v};
    }
    String v = switch (dice.below(4)) {
      case 0 -> dice.oneOf("%zz", "%", "%0", "%00", "%ff", "%C0%AF", "%ED%A0%80", "%E2%82");
      case 1 -> "";
      case 2 -> base + encode(((J.Str) Junk.string(dice).value()).value());
      default -> encode(((J.Str) Junk.string(dice).value()).value());
    };
    return new String[] {"string=" + Excerpts.of(v, 24), v};
  }

  /** Query strings of the listing, graph and delete-all operations, broken one parameter at a time. */
  private HttpCase query(Dice dice, int index) {
    Operation op = op(dice.oneOf("listMemories", "listMemories", "getGraph", "deleteAllMemories"));
    boolean delete = op.method().equals("DELETE");
    String scope = delete ? "sbdel-" + index : dice.chance(0.5) ? dice.pick(territory.protectedUsers())
      : probeUser(index);
    List<String[]> params = new ArrayList<>();
    params.add(new String[] {"user_id", encode(scope)});
    if (!delete) {
      params.add(new String[] {"limit", "5"});
    }
    String label;
    switch (dice.below(9)) {
      case 0, 1, 2 -> {
        Param param = dice.pick(op.params());
        String[] value = badQueryValue(dice, param.schema(), delete ? "sbdel-" + index : "");
        params.removeIf(p -> p[0].equals(param.name()));
        params.add(new String[] {param.name(), value[1]});
        label = param.name() + "=" + value[0];
      }
      case 3 -> {
        Param param = dice.pick(op.params());
        params.add(new String[] {param.name(), delete ? "sbdel-dup-" + index : "other"});
        label = "duplicate-" + param.name();
      }
      case 4 -> {
        params.add(new String[] {dice.oneOf("user_id[]", "user_id[0]", "limit[]"), delete ? "sbdel-x" : "x"});
        label = "array-syntax";
      }
      case 5 -> {
        params.add(new String[] {dice.oneOf("foo", "filters", "%zz", "", "user_id%00"),
          dice.oneOf("bar", "%7B%22a%22%3A1%7D", "%zz", "")});
        label = "unknown-parameter";
      }
      case 6 -> {
        params.clear();
        label = "no-scope";
      }
      case 7 -> {
        String odd = dice.oneOf("", "&&&", "=", "user_id", "user_id=", "=x", "user_id=a;limit=5", "&user_id=",
          "user_id==x");
        params.clear();
        params.add(new String[] {odd, null});
        label = "odd-query:" + odd;
      }
      default -> {
        int length = dice.oneOf(2_000, 9_000, 70_000);
        params.removeIf(p -> p[0].equals("user_id"));
        params.add(new String[] {"user_id", (delete ? "sbdel-" : "") + "a".repeat(length)});
        label = "user_id-length-" + length;
      }
    }
    StringBuilder query = new StringBuilder();
    for (String[] p : params) {
      query.append(query.isEmpty() ? "" : "&").append(p[0]).append(p[1] == null ? "" : "=" + p[1]);
    }
    String target = op.path() + "?" + query;
    boolean clean = target.chars().allMatch(c -> c > 0x20 && c < 0x7f) && !target.contains("%zz")
      && target.length() < 4_000;
    return request(op.method(), target).mutation("query " + label).aim(delete ? Aim.SANDBOX : Aim.READ)
      .build(route(op));
  }

  /** Ids that are not ids: empty, huge, traversal, broken escapes. Writes never name a protected memory here. */
  private HttpCase memoryId(Dice dice, int index) {
    Operation op = op(dice.oneOf("getMemory", "getMemory", "memoryHistory", "updateMemory", "deleteMemory"));
    boolean read = op.method().equals("GET");
    String[] id = switch (dice.below(read ? 8 : 6)) {
      case 0 -> new String[] {"escape", dice.oneOf("%20", "%zz", "%00", "%", "%C0%AF", "%ED%A0%80", "%E6%97%A5",
        "%3Cscript%3E", "'%20OR%20'1'%3D'1", "id%3Fuser_id%3Dx", "%2F")};
      case 1 -> new String[] {"traversal", dice.oneOf("..", "%2e%2e", "..%2f..%2freset", "a%2Fb", "...", "./.",
        "%2e")};
      case 2 -> {
        int length = dice.oneOf(257, 1_000, 9_000);
        yield new String[] {"length-" + length, "i".repeat(length)};
      }
      case 3 -> new String[] {"unknown-uuid", dice.uuid()};
      case 4 -> new String[] {"word", dice.oneOf("*", "null", "-1", "0", "undefined", "id;x=1", "~", "$")};
      case 5 -> new String[] {"junk-string", encode(((J.Str) Junk.string(dice).value()).value())};
      default -> new String[] {"protected-id-suffix", dice.pick(territory.protectedIds())
        + dice.oneOf("%00", "%20", "/", "/..", "%2F", "?x=1", "#x", "%0A", ".json")};
    };
    HttpCase.Builder request = request(op.method(), idPath(op, id[1])).mutation("id=" + id[0])
      .aim(read ? Aim.READ : Aim.SANDBOX);
    if (op.method().equals("PUT")) {
      request.json(baseline(op, index, ""));
    }
    boolean clean = id[1].chars().allMatch(c -> c > 0x20 && c < 0x7f) && id[1].length() < 4_000;
    return request.build(route(op));
  }

  // ---- headers, methods ---------------------------------------------------------------------------------------

  /** Content types other than JSON (certainly refused: aimed at protected memories) and JSON look-alikes. */
  private HttpCase contentType(Dice dice, int index) {
    Operation op = op(dice.oneOf("addMemories", "addMemories", "searchMemories", "updateMemory"));
    boolean refused = dice.chance(0.6);
    String type = refused ? dice.pick(NOT_JSON_TYPES) : dice.pick(JSONISH_TYPES);
    String probe = probeUser(index);
    String user = refused ? dice.pick(territory.protectedUsers()) : probe;
    J.Obj body = baseline(op, index, user);
    byte[] bytes = switch (dice.below(4)) {
      case 0 -> ("messages=remember+me&user_id=" + encode(user)).getBytes(StandardCharsets.UTF_8);
      case 1 -> "<memory><text>x</text></memory>".getBytes(StandardCharsets.UTF_8);
      default -> body.bytes();
    };
    HttpCase.Builder request;
    if (op.id().equals("updateMemory")) {
      request = request("PUT", idPath(op, refused ? dice.pick(territory.protectedIds())
        : dice.pick(territory.sandboxIds())));
    } else {
      request = request("POST", op.id().equals("addMemories") ? "/memories" : "/search");
    }
    boolean write = !op.id().equals("searchMemories");
    request.body(bytes, type).aim(!write ? Aim.READ : refused ? Aim.PROTECTED : Aim.SANDBOX)
      .mutation("content-type=" + (type == null ? "none" : type.isEmpty() ? "empty" : type));
    if (write && !refused && op.id().equals("addMemories")) {
      request.probe("user_id=" + probe);
    }
    return request.build(route(op));
  }

  /**
   * What a web page could send: a foreign Origin, Sec-Fetch-Site: cross-site, a Host that is not this machine
   * (DNS rebinding). Writes that must be refused go to protected memories; allowed origins only to the sandbox.
   */
  private HttpCase crossSite(Dice dice, int index) {
    String kind = dice.oneOf("origin", "origin", "sec-fetch-site", "host", "host", "allowed-origin");
    boolean refused = !kind.equals("allowed-origin");
    String probe = probeUser(index);
    String user = refused ? dice.pick(territory.protectedUsers()) : probe;
    String opId = dice.oneOf("addMemories", "addMemories", "updateMemory", "deleteMemory", "deleteAllMemories",
      "searchMemories", "listMemories");
    Operation op = op(opId);
    HttpCase.Builder request = switch (opId) {
      case "addMemories" -> request("POST", "/memories").json(baseline(op, index, user));
      case "searchMemories" -> request("POST", "/search").json(baseline(op, index, user));
      case "updateMemory" -> request("PUT", idPath(op, refused ? dice.pick(territory.protectedIds())
        : dice.pick(territory.sandboxIds()))).json(baseline(op, index, user));
      case "deleteMemory" -> request("DELETE", idPath(op, refused ? dice.pick(territory.protectedIds())
        : dice.pick(territory.sandboxIds())));
      case "deleteAllMemories" -> request("DELETE", "/memories?user_id=" + encode(refused ? user
        : "sbdel-" + index));
      default -> request("GET", "/memories?user_id=" + encode(user));
    };
    boolean write = !opId.equals("searchMemories") && !opId.equals("listMemories");
    request.aim(!write ? Aim.READ : refused ? Aim.PROTECTED : Aim.SANDBOX);
    if (write && !refused && opId.equals("addMemories")) {
      request.probe("user_id=" + probe);
    }
    String port = territory.restHost().substring(territory.restHost().lastIndexOf(':') + 1);
    switch (kind) {
      case "origin" -> {
        String origin = dice.pick(FOREIGN_ORIGINS);
        request.header("Origin", origin).mutation("origin=" + origin);
      }
      case "sec-fetch-site" -> {
        request.header("Sec-Fetch-Site", "cross-site").mutation("sec-fetch-site=cross-site");
        if (dice.chance(0.5)) {
          request.header("Sec-Fetch-Mode", "no-cors");
        }
      }
      case "host" -> {
        String host = dice.oneOf(null, "", "evil.example", "evil.example:" + port, "127.0.0.1.evil.example:" + port,
          "localhost.evil.example", "localhost@evil.example", "[::1", "l\u043ecalhost:" + port, "0.0.0.0:" + port,
          "127.0.0.1:" + port + ", evil.example", "two-hosts");
        if ("two-hosts".equals(host)) {
          request.header("Host", "evil.example");
        } else {
          request.host(host);
        }
        request.mutation("host=" + (host == null ? "none" : host.isEmpty() ? "empty" : host.replace(port, "PORT")));
      }
      default -> {
        String origin = dice.pick(ALLOWED_ORIGINS);
        request.header("Origin", origin).header("Sec-Fetch-Site", dice.oneOf("same-origin", "same-site", "none"))
          .mutation("allowed-origin");
      }
    }
    return request.build(route(op));
  }

  /** Odd but harmless-looking headers on reads and sandbox writes. */
  private HttpCase junkHeaders(Dice dice, int index) {
    HttpCase.Builder request = dice.chance(0.5)
      ? request("POST", "/search").json(baseline(op("searchMemories"), index, probeUser(index)))
      : request("GET", "/memories?user_id=" + encode(dice.pick(territory.protectedUsers())) + "&limit=3");
    String[] header = switch (dice.below(18)) {
      case 0 -> new String[] {"X-Request-ID", "r".repeat(dice.oneOf(129, 5_000))};
      case 1 -> new String[] {"X-Request-ID", "\u00e9\u00e8\u00ff"};
      case 2 -> new String[] {"Accept", dice.oneOf("application/xml", "", "*/*;q=foo", "text/event-stream")};
      case 3 -> new String[] {"Authorization", dice.oneOf("Bearer ", "Basic %%%", "Token x", "Bearer "
        + "a".repeat(8_000))};
      case 4 -> new String[] {"Cookie", "a=b; c; =d; " + "x".repeat(2_000)};
      case 5 -> new String[] {"X-Forwarded-Host", "evil.example"};
      case 6 -> new String[] {"Forwarded", "host=evil.example;proto=https"};
      case 7 -> new String[] {"Accept-Encoding", dice.oneOf("gzip", "deflate", "br", "identity;q=0", "x-junk")};
      case 8 -> new String[] {"Content-Encoding", dice.oneOf("gzip", "deflate", "br")};
      case 9 -> new String[] {"Expect", dice.oneOf("100-continue", "junk", "200-ok")};
      case 10 -> new String[] {"Range", "bytes=0-1"};
      case 11 -> new String[] {"X-HTTP-Method-Override", "DELETE"};
      case 12 -> new String[] {"Upgrade", dice.oneOf("websocket", "h2c", "TLS/1.2", "junk")};
      case 13 -> new String[] {"User-Agent", "u".repeat(10_000)};
      case 14 -> new String[] {"X-Memgate-User", "someone-else"};
      case 15 -> new String[] {"TE", "trailers, deflate"};
      case 16 -> new String[] {"Max-Forwards", "-1"};
      default -> new String[] {"X-Api-Key", "\u0000"};
    };
    request.header(header[0], header[1]).mutation("header " + header[0] + "=" + Excerpts.of(header[1], 20));
    return request.build("(read)");
  }

  /** Methods the route does not take, unknown methods, lower-case methods. */
  private HttpCase wrongMethod(Dice dice, int index) {
    String path = dice.oneOf("/memories", "/memories/{memory_id}", "/memories/{memory_id}/history", "/search",
      "/reset", "/health", "/graph", "/openapi.yaml");
    String chosen = dice.oneOf("PATCH", "OPTIONS", "HEAD", "TRACE", "CONNECT", "FOO", "PROPFIND", "M-SEARCH",
      "get", "post", "delete", "PUT", "POST", "DELETE", "GET", "X".repeat(40));
    String method = chosen;
    boolean lower = !method.equals(method.toUpperCase());
    boolean harmless = List.of("PATCH", "OPTIONS", "TRACE", "CONNECT", "FOO", "PROPFIND", "M-SEARCH").contains(method)
      || method.length() == 40;
    boolean declared = operations.stream().anyMatch(o -> o.path().equals(path) && o.method().equals(chosen));
    if (declared || path.equals("/reset") && !harmless && !method.equals("HEAD") && !method.startsWith("G")) {
      method = "PATCH";
      harmless = true;
    }
    String id = harmless ? dice.pick(territory.protectedIds()) : dice.pick(territory.sandboxIds());
    String target = path.replace("{memory_id}", id);
    String user = harmless ? dice.pick(territory.protectedUsers()) : probeUser(index);
    HttpCase.Builder request = request(method, target + (path.equals("/memories") && !harmless ? "?user_id="
      + encode("sbdel-" + index) : ""));
    if (!method.equals("HEAD") && !method.equals("GET") && !method.equalsIgnoreCase("get")) {
      request.json(baseline(op("addMemories"), index, user));
    }
    boolean write = !method.equals("HEAD") && !method.equals("GET") && !method.equals("OPTIONS");
    request.aim(!write ? Aim.READ : harmless ? Aim.PROTECTED : Aim.SANDBOX)
      .mutation("method " + (lower ? "lower-case " : "") + (method.length() == 40 ? "40-chars" : method));
    if (write && !harmless) {
      request.probe("user_id=" + user);
    }
    return request.build(path);
  }

  // ---- HTTP itself --------------------------------------------------------------------------------------------

  /** Malformed HTTP: versions, request lines, header syntax, framing, sizes; on reads and sandbox adds. */
  private HttpCase protocol(Dice dice, int index) {
    String probe = probeUser(index);
    return MalformedHttp.next(dice, territory.restHost(), baseline(op("addMemories"), index, probe),
      baseline(op("searchMemories"), index, probe), probe);
  }

  /** Routes that do not exist, or exist only with another spelling. POSTs carry a sandbox add. */
  private HttpCase unknownPath(Dice dice, int index) {
    String path = dice.oneOf("/", "/memories/", "//memories", "/MEMORIES", "/memories/x/y/z", "/api/v1/memories",
      "/v1/memories/", "/search/", "/health/", "/openapi.json", "/.env", "/%2e%2e/%2e%2e/etc/passwd",
      "/memories;x=1", "/memories%00", "/mcp", "/sse", "/" + "a/".repeat(3_000), "/memories/%2F", "/reset/",
      "/health/../health", "/memories/../search");
    String method = dice.oneOf("GET", "POST", "PUT", "DELETE");
    if (path.startsWith("/reset") || path.contains("..")) {
      method = "GET";
    }
    HttpCase.Builder request = request(method, path).mutation("unknown-path");
    if (method.equals("POST") || method.equals("PUT")) {
      String probe = probeUser(index);
      request.json(baseline(op("addMemories"), index, probe)).aim(Aim.SANDBOX).probe("user_id=" + probe);
    } else if (method.equals("DELETE")) {
      request.aim(Aim.SANDBOX);
    }
    return request.build(Excerpts.of(path, 40));
  }

  /** POST /reset as a web page or a confused client would send it: every one must be refused. */
  private HttpCase reset(Dice dice) {
    HttpCase.Builder request = request("POST", "/reset").aim(Aim.PROTECTED);
    String port = territory.restHost().substring(territory.restHost().lastIndexOf(':') + 1);
    switch (dice.below(8)) {
      case 0 -> request.body(new byte[0], "text/plain").mutation("text/plain empty");
      case 1 -> request.body("x".getBytes(StandardCharsets.UTF_8), "text/plain;charset=UTF-8")
        .mutation("text/plain");
      case 2 -> request.body("a=b".getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded")
        .mutation("form");
      case 3 -> request.body("--f\r\n\r\nx\r\n--f--\r\n".getBytes(StandardCharsets.UTF_8),
        "multipart/form-data; boundary=f").mutation("multipart");
      case 4 -> request.body("{}".getBytes(StandardCharsets.UTF_8), "application/json")
        .header("Origin", dice.pick(FOREIGN_ORIGINS)).mutation("foreign origin");
      case 5 -> request.body("{}".getBytes(StandardCharsets.UTF_8), "application/json")
        .header("Sec-Fetch-Site", "cross-site").mutation("sec-fetch-site cross-site");
      case 6 -> request.body("{}".getBytes(StandardCharsets.UTF_8), "application/json")
        .host(dice.oneOf("evil.example:" + port, "rebind.evil.example")).mutation("foreign host");
      default -> request.body(new byte[0], "text/plain").header("Origin", "http://evil.example")
        .mutation("text/plain from a foreign origin");
    }
    return request.build("/reset");
  }

  /** A body over the size limit. */
  private HttpCase oversize(Dice dice, int index) {
    boolean add = dice.chance(0.6);
    String filler = "o".repeat((1 << 20) + dice.between(1, 4_096));
    J.Obj body = add ? J.obj().put("messages", J.str(filler)).put("user_id", J.str(dice.pick(
      territory.protectedUsers()))) : J.obj().put("query", J.str(filler)).put("user_id", J.str("x"));
    return request("POST", add ? "/memories" : "/search").json(body).aim(add ? Aim.PROTECTED : Aim.READ)
      .mutation("body over 1 MiB").build(add ? "/memories" : "/search");
  }

  /** Valid requests, now and then, so the fuzz also runs the service's normal paths under the same load. */
  private HttpCase control(Dice dice, int index) {
    String probe = probeUser(index);
    return switch (dice.below(6)) {
      case 0 -> request("POST", "/memories").json(baseline(op("addMemories"), index, "sb-valid-" + index))
        .aim(Aim.SANDBOX).mutation("valid").build("/memories");
      case 1 -> request("POST", "/search").json(baseline(op("searchMemories"), index, dice.pick(
        territory.protectedUsers()))).mutation("valid").build("/search");
      case 2 -> request("GET", "/memories/" + dice.pick(territory.protectedIds())).mutation("valid")
        .build("/memories/{memory_id}");
      case 3 -> request("GET", "/memories/" + dice.pick(territory.protectedIds()) + "/history").mutation("valid")
        .build("/memories/{memory_id}/history");
      case 4 -> request("GET", "/graph?user_id=" + encode(probe)).mutation("valid").build("/graph");
      default -> request("GET", "/health").mutation("valid").build("/health");
    };
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
