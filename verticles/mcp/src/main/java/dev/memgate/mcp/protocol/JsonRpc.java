package dev.memgate.mcp.protocol;

import io.vertx.core.json.JsonObject;

/**
 * JSON-RPC 2.0 as MCP uses it: the error codes, how to tell requests, notifications and responses apart, and the
 * shape of replies. A message that breaks the envelope rules is refused here, before any method sees it.
 */
public final class JsonRpc {
  public static final String VERSION = "2.0";

  public static final int PARSE_ERROR = -32700;
  public static final int INVALID_REQUEST = -32600;
  public static final int METHOD_NOT_FOUND = -32601;
  public static final int INVALID_PARAMS = -32602;
  public static final int INTERNAL_ERROR = -32603;
  /** Implementation-defined server error: used for transport-level refusals (origin, session, version). */
  public static final int SERVER_ERROR = -32000;
  /** MCP (up to 2025-11-25): a resource URI that names nothing. */
  public static final int RESOURCE_NOT_FOUND = -32002;
  /**
   * Implementation-defined: the credential is valid but may not do this (another user than the one it acts for, a
   * scope it lacks). Over HTTP it comes with status 403.
   */
  public static final int FORBIDDEN = -32003;
  /** In a {@link #FORBIDDEN} error's data: the OAuth scope that would allow the request. */
  public static final String REQUIRED_SCOPE = "required_scope";

  private JsonRpc() {
  }

  public static boolean isRequest(JsonObject message) {
    return message.containsKey("method") && message.containsKey("id");
  }

  public static boolean isNotification(JsonObject message) {
    return message.containsKey("method") && !message.containsKey("id");
  }

  public static boolean isResponse(JsonObject message) {
    return !message.containsKey("method") && (message.containsKey("result") || message.containsKey("error"));
  }

  public static boolean isInitialize(JsonObject message) {
    return isRequest(message) && "initialize".equals(message.getValue("method"));
  }

  /**
   * Checks the envelope: {@code jsonrpc:"2.0"}, a string method, an id that is a string or a whole number (never
   * null), and params that are an object (MCP never uses positional params).
   *
   * @throws JsonRpcException with {@link #INVALID_REQUEST} or {@link #INVALID_PARAMS}
   */
  public static void checkEnvelope(Object parsed) {
    if (!(parsed instanceof JsonObject message)) {
      throw new JsonRpcException(INVALID_REQUEST, "a JSON-RPC message must be a JSON object");
    }
    Object id = message.getValue("id");
    Object validId = validId(id) ? id : null;
    if (!VERSION.equals(message.getValue("jsonrpc"))) {
      throw new JsonRpcException(INVALID_REQUEST, "jsonrpc must be \"2.0\"").withId(validId);
    }
    if (message.containsKey("id") && !validId(id)) {
      throw new JsonRpcException(INVALID_REQUEST, "id must be a string or a whole number, and not null");
    }
    if (message.containsKey("method")) {
      if (!(message.getValue("method") instanceof String method) || method.isEmpty()) {
        throw new JsonRpcException(INVALID_REQUEST, "method must be a non-empty string").withId(validId);
      }
      Object params = message.getValue("params");
      if (params != null && !(params instanceof JsonObject)) {
        throw new JsonRpcException(INVALID_PARAMS, "params must be an object").withId(validId);
      }
      return;
    }
    if (isResponse(message) && message.containsKey("id")) {
      return;
    }
    throw new JsonRpcException(INVALID_REQUEST, "not a request, notification or response: it needs a method, or "
      + "an id with a result or an error").withId(validId);
  }

  private static boolean validId(Object id) {
    if (id instanceof String) {
      return true;
    }
    if (id instanceof Number number) {
      double value = number.doubleValue();
      return value == Math.rint(value) && !Double.isInfinite(value);
    }
    return false;
  }

  public static JsonObject result(Object id, JsonObject result) {
    return new JsonObject().put("jsonrpc", VERSION).put("id", id).put("result", result);
  }

  public static JsonObject error(Object id, int code, String message, Object data) {
    JsonObject error = new JsonObject().put("code", code).put("message", message);
    if (data != null) {
      error.put("data", data);
    }
    return new JsonObject().put("jsonrpc", VERSION).put("id", id).put("error", error);
  }

  /** The error object of a reply when it is an error with this code, else null. */
  public static JsonObject errorOf(JsonObject reply, int code) {
    return reply.getValue("error") instanceof JsonObject error && error.getValue("code") instanceof Integer given
      && given == code ? error : null;
  }

  public static JsonObject error(Object id, JsonRpcException failure) {
    return error(id == null ? failure.id() : id, failure.code(), failure.getMessage(), failure.data());
  }
}
