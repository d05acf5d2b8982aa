package dev.memgate.mcp.protocol;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * One client's conversation with the server. Its user is settled once, at initialize, and never changes: every
 * tool call of the session acts for that user. All state is touched on the MCP verticle's event loop only.
 *
 * <p>A session answers at most {@code maxInFlight} requests at once: the transports stop reading (or answer 429)
 * while that many messages wait for their answers, and the requests of a batch take their turns, so that no client
 * can make the server hold an unbounded amount of work for it.
 */
public final class McpSession {
  private final String id;
  private final Transport transport;
  private final CallerIdentity caller;
  private final String address;
  private final int maxInFlight;
  /** Messages received whose answer has not gone out yet (counted by the transports). */
  private int unanswered;
  /** Requests being answered, and those of batches waiting for their turn. */
  private int running;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private boolean pumping;
  private long lastActiveMillis;
  private String protocolVersion;
  private String userId;
  private String clientName;
  private JsonObject clientInfo = new JsonObject();
  private boolean initializedNotified;
  private Runnable onClose = () -> {
  };
  private boolean closed;

  McpSession(String id, Transport transport, CallerIdentity caller, String address, int maxInFlight,
             long nowMillis) {
    this.id = id;
    this.transport = transport;
    this.caller = caller;
    this.address = address;
    this.maxInFlight = Math.max(1, maxInFlight);
    this.clientName = caller.clientName();
    this.lastActiveMillis = nowMillis;
  }

  public String id() {
    return id;
  }

  public Transport transport() {
    return transport;
  }

  /** The client's address (null for stdio). */
  public String address() {
    return address;
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
    if (clientName == null && info.getValue("name") instanceof String name) {
      clientName = name;
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

  /** A message arrived that will be answered; its transport calls {@link #messageAnswered} once it was. */
  public void messageArrived() {
    unanswered++;
  }

  public void messageAnswered() {
    unanswered = Math.max(0, unanswered - 1);
  }

  /** True when as many messages wait for answers as the session may have: read no more until one is answered. */
  public boolean saturated() {
    return unanswered >= maxInFlight;
  }

  public int maxInFlight() {
    return maxInFlight;
  }

  /**
   * Runs one request when fewer than {@code maxInFlight} are running, else when one finishes. Requests that finish
   * at once (ping, refusals) start the next in a loop, not a recursion, so a batch of thousands cannot overflow
   * the stack.
   */
  <T> Future<T> inTurn(Supplier<Future<T>> request) {
    Promise<T> answered = Promise.promise();
    waiting.add(() -> {
      running++;
      Future<T> outcome;
      try {
        outcome = request.get();
      } catch (RuntimeException e) {
        outcome = Future.failedFuture(e);
      }
      outcome.onComplete(done -> {
        running--;
        answered.handle(done);
        pump();
      });
    });
    pump();
    return answered.future();
  }

  private void pump() {
    if (pumping) {
      return;
    }
    pumping = true;
    try {
      while (running < maxInFlight && !waiting.isEmpty()) {
        waiting.poll().run();
      }
    } finally {
      pumping = false;
    }
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
