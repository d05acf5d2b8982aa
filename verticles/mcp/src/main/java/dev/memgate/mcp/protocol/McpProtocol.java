package dev.memgate.mcp.protocol;

import dev.memgate.access.Caller;
import dev.memgate.access.Permission;
import dev.memgate.access.oidc.Scopes;
import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailure;
import dev.memgate.mcp.tools.MemoryResources;
import dev.memgate.mcp.tools.ToolBox;
import dev.memgate.mcp.tools.ToolPermissions;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * MCP itself, whatever carries it: decoding and checking JSON-RPC messages, the initialize handshake (version
 * negotiation, settling the session's user), ping, paginated tools/list, tools/call, and the memory resources.
 * Transports hand it text and a session and send back what it answers. It never fails a future: every problem is
 * a JSON-RPC error reply or, inside a tool, a result with {@code isError:true}.
 */
public final class McpProtocol {
  private static final Logger LOG = LoggerFactory.getLogger(McpProtocol.class);
  /** Where a client may name its user in initialize: {@code params._meta}, the spec's extension point. */
  public static final String META_USER = "dev.memgate/user_id";
  /** ... or {@code capabilities.experimental.memgate.user_id}, which SDK clients can set without custom code. */
  public static final String EXPERIMENTAL_KEY = "memgate";
  private static final int MAX_USER_CHARS = 256;
  private static final String CURSOR_PREFIX = "tools:";

  private final ServerInfo info;
  private final ToolBox tools;
  private final MemoryResources resources;
  private final SessionRegistry sessions;
  private final String defaultUser;
  private final int toolsPageSize;
  private final ToolCharges charges;

  /**
   * @param defaultUser   the user of sessions that name none; empty means such sessions are refused
   * @param toolsPageSize tools per tools/list page
   */
  public McpProtocol(ServerInfo info, ToolBox tools, MemoryResources resources, SessionRegistry sessions,
                     String defaultUser, int toolsPageSize) {
    this(info, tools, resources, sessions, defaultUser, toolsPageSize, null);
  }

  /** @param charges what tool calls spend from their caller's rate limits; null when nothing is limited */
  public McpProtocol(ServerInfo info, ToolBox tools, MemoryResources resources, SessionRegistry sessions,
                     String defaultUser, int toolsPageSize, ToolCharges charges) {
    this.charges = charges;
    this.info = info;
    this.tools = tools;
    this.resources = resources;
    this.sessions = sessions;
    this.defaultUser = defaultUser == null ? "" : defaultUser.strip();
    this.toolsPageSize = toolsPageSize;
  }

  /**
   * Decodes one transport message. A batch is accepted only when the session's revision allows batches (an
   * initialize can never be batched: before it there is no revision).
   *
   * @throws JsonRpcException {@link JsonRpc#PARSE_ERROR} for text that is not JSON, {@link JsonRpc#INVALID_REQUEST}
   *                          for an empty or unwelcome batch
   */
  public Incoming decode(String text, McpSession session) {
    if (text == null || text.isBlank()) {
      throw new JsonRpcException(JsonRpc.PARSE_ERROR, "Parse error: the message is empty; send one JSON-RPC message");
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(text);
    } catch (DecodeException | IllegalArgumentException e) {
      throw new JsonRpcException(JsonRpc.PARSE_ERROR, "Parse error: the message is not valid JSON");
    }
    if (!(parsed instanceof JsonArray batch)) {
      return new Incoming(Collections.singletonList(parsed), false);
    }
    if (batch.isEmpty()) {
      throw new JsonRpcException(JsonRpc.INVALID_REQUEST, "an empty batch is not a JSON-RPC message");
    }
    String version = session == null ? null : session.protocolVersion();
    if (version == null || !ProtocolVersions.allowsBatches(version)) {
      throw new JsonRpcException(JsonRpc.INVALID_REQUEST, "JSON-RPC batches are not part of MCP "
        + (version == null ? "before initialize" : "revision " + version) + "; send one message at a time");
    }
    List<Object> items = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      items.add(batch.getValue(i));
    }
    return new Incoming(items, true);
  }

  /** Answers every item of a message, in order; notifications and responses have no answer. */
  public Future<List<JsonObject>> dispatch(McpSession session, Incoming incoming) {
    List<Future<JsonObject>> replies = incoming.items().stream().map(item -> dispatch(session, item)).toList();
    return Future.join(replies).transform(done -> {
      List<JsonObject> answers = new ArrayList<>();
      replies.forEach(reply -> {
        if (reply.result() != null) {
          answers.add(reply.result());
        }
      });
      return Future.succeededFuture(answers);
    });
  }

  /**
   * For transports that carry messages both ways on one channel (WebSocket, legacy SSE, stdio): decodes, answers,
   * and encodes the answer (an array for a batch), or null when there is nothing to send.
   */
  public Future<String> handleText(McpSession session, String text) {
    Incoming incoming;
    try {
      incoming = decode(text, session);
    } catch (JsonRpcException e) {
      return Future.succeededFuture(JsonRpc.error(null, e).encode());
    }
    return answer(session, incoming);
  }

  /** Answers a decoded message and encodes the answer (an array for a batch), or null when there is none. */
  public Future<String> answer(McpSession session, Incoming incoming) {
    return dispatch(session, incoming).map(answers -> {
      if (answers.isEmpty()) {
        return null;
      }
      return incoming.batch() ? new JsonArray(new ArrayList<>(answers)).encode() : answers.get(0).encode();
    });
  }

  /** Answers one decoded item: a reply for a request or a malformed item, null for anything else. */
  public Future<JsonObject> dispatch(McpSession session, Object item) {
    sessions.touch(session);
    try {
      JsonRpc.checkEnvelope(item);
    } catch (JsonRpcException e) {
      return Future.succeededFuture(JsonRpc.error(null, e));
    }
    JsonObject message = (JsonObject) item;
    if (JsonRpc.isResponse(message)) {
      // This server sends no requests, so there is nothing a response could answer.
      return Future.succeededFuture(null);
    }
    String method = message.getString("method");
    // "params": null is read as no params, so a method that needs some says which one is missing.
    JsonObject params = message.getValue("params") instanceof JsonObject given ? given : new JsonObject();
    if (JsonRpc.isNotification(message)) {
      if ("notifications/initialized".equals(method)) {
        session.markInitializedNotified();
      }
      // notifications/cancelled needs nothing: tool calls are short, and their replies are simply dropped
      // by a client that cancelled.
      return Future.succeededFuture(null);
    }
    Object id = message.getValue("id");
    return session.<JsonObject>inTurn(() -> call(session, method, params)).transform(done -> {
      if (done.succeeded()) {
        return Future.succeededFuture(JsonRpc.result(id, done.result()));
      }
      if (done.cause() instanceof JsonRpcException rpc) {
        return Future.succeededFuture(JsonRpc.error(id, rpc.code(), rpc.getMessage(), rpc.data()));
      }
      LOG.error("{} failed in session {}", method, session.id(), done.cause());
      return Future.succeededFuture(JsonRpc.error(id, JsonRpc.INTERNAL_ERROR, "Internal error while handling "
        + method + "; see the server log", null));
    });
  }

  private Future<JsonObject> call(McpSession session, String method, JsonObject params) {
    if ("initialize".equals(method)) {
      return Future.succeededFuture(initialize(session, params));
    }
    if ("ping".equals(method)) {
      return Future.succeededFuture(new JsonObject());
    }
    if (!session.initialized()) {
      throw new JsonRpcException(JsonRpc.INVALID_REQUEST, "the session is not initialized: send initialize first");
    }
    return switch (method) {
      case "tools/list" -> Future.succeededFuture(listTools(params));
      case "tools/call" -> callTool(session, params);
      case "resources/list" -> Future.succeededFuture(new JsonObject()
        .put("resources", new JsonArray(new ArrayList<>(resources.resources()))));
      case "resources/templates/list" -> Future.succeededFuture(new JsonObject()
        .put("resourceTemplates", new JsonArray(new ArrayList<>(resources.templates()))));
      case "resources/read" -> readResource(session, params);
      default -> throw new JsonRpcException(JsonRpc.METHOD_NOT_FOUND, "Method not found: " + method);
    };
  }

  private JsonObject initialize(McpSession session, JsonObject params) {
    if (session.initialized()) {
      throw new JsonRpcException(JsonRpc.INVALID_REQUEST, "the session is already initialized");
    }
    if (!(params.getValue("protocolVersion") instanceof String requested)) {
      throw new JsonRpcException(JsonRpc.INVALID_PARAMS, "initialize needs params.protocolVersion (a string)");
    }
    JsonObject clientInfo = objectOrEmpty(params, "clientInfo", "params.clientInfo");
    Object clientName = clientInfo.getValue("name");
    if (clientName != null && !(clientName instanceof String)) {
      throw new JsonRpcException(JsonRpc.INVALID_PARAMS, "params.clientInfo.name must be a string");
    }
    String user = settleUser(session.caller(), params);
    String version = ProtocolVersions.negotiate(requested, session.transport().versions());
    session.initialize(version, user, clientInfo.copy());
    LOG.debug("session {} ({}) initialized: revision {}, user {}, client {}", session.id(),
      session.transport().label(), version, user, session.clientName());
    return new JsonObject()
      .put("protocolVersion", version)
      .put("capabilities", new JsonObject()
        .put("tools", new JsonObject().put("listChanged", false))
        .put("resources", new JsonObject().put("subscribe", false).put("listChanged", false)))
      .put("serverInfo", info.implementation())
      .put("instructions", info.instructions());
  }

  /**
   * The session's user: whatever names one (the transport's path or header, initialize's params) must agree, the
   * credential must be allowed to act for it, and the configured default applies only when nothing names a user
   * and the credential may act for any.
   */
  private String settleUser(CallerIdentity caller, JsonObject params) {
    String fromMeta = userFrom(objectOrEmpty(params, "_meta", "params._meta").getValue(META_USER),
      "params._meta[\"" + META_USER + "\"]");
    JsonObject capabilities = objectOrEmpty(params, "capabilities", "params.capabilities");
    Object experimental = objectOrEmpty(capabilities, "experimental", "params.capabilities.experimental")
      .getValue(EXPERIMENTAL_KEY);
    String fromCapabilities = experimental instanceof JsonObject memgate
      ? userFrom(memgate.getValue("user_id"), "capabilities.experimental.memgate.user_id") : null;
    if (fromMeta != null && fromCapabilities != null && !fromMeta.equals(fromCapabilities)) {
      throw new JsonRpcException(JsonRpc.INVALID_PARAMS, "initialize names two different users (" + fromMeta
        + " and " + fromCapabilities + ")");
    }
    String fromInitialize = fromMeta != null ? fromMeta : fromCapabilities;
    Caller principal = caller.principal();
    if (fromInitialize != null && !principal.allowsUser(fromInitialize)) {
      throw new JsonRpcException(JsonRpc.FORBIDDEN, "Forbidden: the credential acts for "
        + CallerIdentity.usersOf(principal) + ", but initialize asked for user " + fromInitialize);
    }
    if (caller.userId() != null) {
      if (fromInitialize != null && !fromInitialize.equals(caller.userId())) {
        throw new JsonRpcException(JsonRpc.INVALID_PARAMS, "this connection acts for user " + caller.userId()
          + " (from " + caller.source() + "); initialize asked for " + fromInitialize);
      }
      return caller.userId();
    }
    if (fromInitialize != null) {
      return fromInitialize;
    }
    if (!principal.anyUser()) {
      throw new JsonRpcException(JsonRpc.FORBIDDEN, "Forbidden: the credential acts for "
        + CallerIdentity.usersOf(principal) + ": name one with the X-Memgate-User header, an OpenMemory path "
        + "(/mcp/{client}/sse/{user_id}) or capabilities.experimental.memgate.user_id");
    }
    if (defaultUser.isEmpty()) {
      throw new JsonRpcException(JsonRpc.INVALID_PARAMS, "no user: name one with the X-Memgate-User header, an "
        + "OpenMemory path (/mcp/{client}/sse/{user_id}) or capabilities.experimental.memgate.user_id, or "
        + "configure mcp.default_user (MEMGATE_DEFAULT_USER)");
    }
    return defaultUser;
  }

  /**
   * The member when it is an object, an empty object when it is absent.
   *
   * @throws JsonRpcException {@link JsonRpc#INVALID_PARAMS} naming the member when it is anything else
   */
  private static JsonObject objectOrEmpty(JsonObject parent, String key, String where) {
    if (!parent.containsKey(key)) {
      return new JsonObject();
    }
    // An explicit null is not an object either: the client meant to send one and sent nothing usable.
    if (!(parent.getValue(key) instanceof JsonObject object)) {
      throw new JsonRpcException(JsonRpc.INVALID_PARAMS, where + " must be an object");
    }
    return object;
  }

  private static String userFrom(Object raw, String where) {
    if (raw == null) {
      return null;
    }
    String problem = userIdProblem(raw);
    if (problem != null) {
      throw new JsonRpcException(JsonRpc.INVALID_PARAMS, where + " " + problem);
    }
    return ((String) raw).strip();
  }

  /** Null when the value can name a user; otherwise what is wrong with it. Shared with the transports' headers. */
  public static String userIdProblem(Object raw) {
    if (!(raw instanceof String text) || text.isBlank()) {
      return "must be a non-empty string";
    }
    if (text.strip().length() > MAX_USER_CHARS) {
      return "is longer than " + MAX_USER_CHARS + " characters";
    }
    if (text.chars().anyMatch(Character::isISOControl)) {
      return "contains a control character";
    }
    return null;
  }

  private JsonObject listTools(JsonObject params) {
    List<JsonObject> all = tools.descriptors();
    int from = 0;
    Object cursor = params.getValue("cursor");
    if (cursor != null) {
      from = offsetOf(cursor, all.size());
    }
    int to = Math.min(all.size(), from + toolsPageSize);
    JsonObject page = new JsonObject().put("tools", new JsonArray(new ArrayList<>(all.subList(from, to))));
    if (to < all.size()) {
      page.put("nextCursor", Base64.getUrlEncoder().withoutPadding()
        .encodeToString((CURSOR_PREFIX + to).getBytes(StandardCharsets.UTF_8)));
    }
    return page;
  }

  private static int offsetOf(Object cursor, int size) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode((String) cursor), StandardCharsets.UTF_8);
      if (decoded.startsWith(CURSOR_PREFIX)) {
        int offset = Integer.parseInt(decoded.substring(CURSOR_PREFIX.length()));
        if (offset > 0 && offset < size) {
          return offset;
        }
      }
    } catch (RuntimeException notOurs) {
      // ClassCastException, IllegalArgumentException, NumberFormatException: all the same to the client
    }
    throw new JsonRpcException(JsonRpc.INVALID_PARAMS, "Invalid cursor: pass back a nextCursor from tools/list");
  }

  private Future<JsonObject> callTool(McpSession session, JsonObject params) {
    if (!(params.getValue("name") instanceof String name)) {
      throw new JsonRpcException(JsonRpc.INVALID_PARAMS, "tools/call needs params.name (a string)");
    }
    if (!tools.has(name)) {
      throw new JsonRpcException(JsonRpc.INVALID_PARAMS, "Unknown tool: " + name + " (tools/list shows the tools)");
    }
    requirePermission(session, ToolPermissions.of(name), name);
    Object arguments = params.getValue("arguments");
    if (arguments != null && !(arguments instanceof JsonObject)) {
      throw new JsonRpcException(JsonRpc.INVALID_PARAMS, "params.arguments must be an object");
    }
    JsonObject given = arguments == null ? new JsonObject() : (JsonObject) arguments;
    // The one place every transport's tool calls pass: each spends from its caller's rate limits first.
    Future<Void> spent = charges == null ? Future.succeededFuture() : charges.spend(session, name, given);
    return spent.compose(v -> tools.call(name, given, session.userId(), session.clientName(),
      session.caller().principal()));
  }

  /**
   * Refuses, before anything runs, a request an access token's scopes do not cover, naming the scope that would
   * allow it: MCP's authorization rules answer that with 403 {@code insufficient_scope}, so that the client can ask
   * its authorization server for more (step-up). A Memgate key has no such path: what it may not do is refused by
   * the memory service as a tool result the model can read.
   */
  private static void requirePermission(McpSession session, Permission needed, String what) {
    Caller principal = session.caller().principal();
    if (principal.kind() != Caller.Kind.TOKEN || principal.may(needed)) {
      return;
    }
    String scope = Scopes.of(needed);
    throw new JsonRpcException(JsonRpc.FORBIDDEN, "Forbidden: " + what + " needs the " + needed.wireName()
      + " permission, which this token's scopes do not grant (OAuth scope " + scope + ")",
      new JsonObject().put(JsonRpc.REQUIRED_SCOPE, scope));
  }

  private Future<JsonObject> readResource(McpSession session, JsonObject params) {
    if (!(params.getValue("uri") instanceof String uri)) {
      throw new JsonRpcException(JsonRpc.INVALID_PARAMS, "resources/read needs params.uri (a string)");
    }
    requirePermission(session, Permission.READ, "resources/read");
    return resources.read(uri, session.userId(), session.caller().principal()).recover(err -> {
      BusFailure failure = BusFailure.from(err);
      if (failure.error() == BusError.NOT_FOUND) {
        return Future.failedFuture(new JsonRpcException(JsonRpc.RESOURCE_NOT_FOUND, "Resource not found: " + uri,
          new JsonObject().put("uri", uri)));
      }
      return Future.failedFuture(new JsonRpcException(JsonRpc.INTERNAL_ERROR, failure.error().title() + ": "
        + failure.detail()));
    });
  }
}
