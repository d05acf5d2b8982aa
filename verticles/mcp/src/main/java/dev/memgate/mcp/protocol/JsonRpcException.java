package dev.memgate.mcp.protocol;

/**
 * A JSON-RPC error on its way to the client: a code from {@link JsonRpc}, a message a person (or a model) can act on,
 * optional data, and the id of the request it answers when that id could be read. No stack trace: it is an answer,
 * not a fault.
 */
public final class JsonRpcException extends RuntimeException {
  private final int code;
  private final Object data;
  private final Object id;

  public JsonRpcException(int code, String message) {
    this(code, message, null, null);
  }

  public JsonRpcException(int code, String message, Object data) {
    this(code, message, data, null);
  }

  private JsonRpcException(int code, String message, Object data, Object id) {
    super(message, null, false, false);
    this.code = code;
    this.data = data;
    this.id = id;
  }

  /** The same error, answering the request with this id. */
  public JsonRpcException withId(Object requestId) {
    return new JsonRpcException(code, getMessage(), data, requestId);
  }

  public int code() {
    return code;
  }

  public Object data() {
    return data;
  }

  public Object id() {
    return id;
  }
}
