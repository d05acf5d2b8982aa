package dev.memgate.mcp.protocol;

import io.vertx.core.json.JsonObject;

/**
 * One client's conversation with the server. Its user is settled once, at initialize, and never changes: every
 * tool call of the session acts for that user. All state is touched on the MCP verticle's event loop only.
 */
public final class McpSession {
  private final String id;
  private final Transport transport;
  private final CallerIdentity caller;
  private long lastActiveMillis;
  private String protocolVersion;
  private String userId;
  private String clientName;
  private JsonObject clientInfo = new JsonObject();
  private boolean initializedNotified;
  private Runnable onClose = () -> {
  };
  private boolean closed;

  McpSession(String id, Transport transport, CallerIdentity caller, long nowMillis) {
    this.id = id;
    this.transport = transport;
    this.caller = caller;
    this.clientName = caller.clientName();
    this.lastActiveMillis = nowMillis;
  }

  public String id() {
    return id;
  }

  public Transport transport() {
    return transport;
  }

  /** What the transport said about the caller when the session opened. */
  public CallerIdentity caller() {
    return caller;
  }

  public boolean initialized() {
    return protocolVersion != null;
  }

  /** The negotiated revision, or null before initialize. */
  public String protocolVersion() {
    return protocolVersion;
  }

  /** The user every call of this session acts for; null before initialize. */
  public String userId() {
    return userId;
  }

  /** The client app: the OpenMemory path's client_name, else clientInfo.name from initialize. */
  public String clientName() {
    return clientName;
  }

  public JsonObject clientInfo() {
    return clientInfo;
  }

  public boolean initializedNotified() {
    return initializedNotified;
  }

  void initialize(String version, String user, JsonObject info) {
    this.protocolVersion = version;
    this.userId = user;
    this.clientInfo = info;
    if (clientName == null) {
      clientName = info.getString("name");
    }
  }

  void markInitializedNotified() {
    initializedNotified = true;
  }

  void touch(long nowMillis) {
    lastActiveMillis = nowMillis;
  }

  long lastActiveMillis() {
    return lastActiveMillis;
  }

  /** What to do when the session ends (close the stream or socket that carries it). */
  public void onClose(Runnable action) {
    this.onClose = action;
  }

  public boolean closed() {
    return closed;
  }

  void close() {
    if (!closed) {
      closed = true;
      onClose.run();
    }
  }
}
