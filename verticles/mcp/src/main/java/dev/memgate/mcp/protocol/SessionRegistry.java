package dev.memgate.mcp.protocol;

import dev.memgate.access.Caller;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The open sessions. Ids are 192 random bits from a {@link SecureRandom}, base64url-encoded (visible ASCII, as the
 * spec asks), so they cannot be guessed; they still never authenticate anything (the token and Origin checks run on
 * every request). Event-loop confined.
 *
 * <p>No client can lock the others out. Sessions no connection holds (Streamable HTTP) are counted per client
 * (its key once its credential is checked, whatever address it calls from; its address when it has no credential,
 * see {@link #ownerOf}): when an address has as many as it may, its own least recently used one ends to make room; when the
 * server as a whole is full, the least recently used of all of them ends. Such a session costs its client nothing
 * more than a new initialize. Sessions a connection holds (WebSocket, legacy SSE) are never ended to make room:
 * they are counted per address as streams instead, and an address past its stream limit is refused. Sessions no
 * connection holds also expire after the idle time.
 */
public final class SessionRegistry {
  private static final int ID_BYTES = 24;

  private final Map<String, McpSession> sessions = new HashMap<>();
  /** Sessions no connection holds, least recently used first. */
  private final LinkedHashMap<String, McpSession> unbound = new LinkedHashMap<>(16, 0.75f, true);
  /** The same, per client ({@link #ownerOf}). */
  private final Map<String, LinkedHashMap<String, McpSession>> unboundByAddress = new HashMap<>();
  /** Sessions a connection holds, counted per client ({@link #ownerOf}). */
  private final Map<String, Integer> streamsByAddress = new HashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final SessionLimits limits;
  private final LongSupplier clock;

  public SessionRegistry(SessionLimits limits, LongSupplier clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /** Only a total cap and an idle time, no per-address limits. */
  public SessionRegistry(int maxSessions, long idleMillis, LongSupplier clock) {
    this(SessionLimits.of(maxSessions, idleMillis), clock);
  }

  public SessionLimits limits() {
    return limits;
  }

  /**
   * Whom a session counts against: the caller's key ({@link dev.memgate.access.Caller#limitKey()}) once a credential
   * was checked, so one key gets the same caps from any number of addresses and a shared address (a NAT, a proxy)
   * does not pool different keys; the client address for a caller without a credential (an open Memgate); null for
   * a client without an address (stdio), which nothing caps per client.
   */
  static String ownerOf(CallerIdentity caller, String address) {
    if (address == null) {
      return null;
    }
    Caller principal = caller == null ? Caller.OPEN : caller.principal();
    return principal.kind() == Caller.Kind.OPEN ? "address:" + address : principal.limitKey();
  }

  /** As {@link #checkAdmission(Transport, CallerIdentity, String)} for a caller without a credential. */
  public void checkAdmission(Transport transport, String address) {
    checkAdmission(transport, CallerIdentity.NONE, address);
  }

  /**
   * Whether a session of this transport could open for this address now (making room if it has to), so that a
   * WebSocket upgrade or an event stream can be refused before it starts.
   *
   * @throws SessionLimitException when it could not
   */
  public void checkAdmission(Transport transport, CallerIdentity caller, String address) {
    String owner = ownerOf(caller, address);
    if (transport.connectionBound() && owner != null
      && streamsByAddress.getOrDefault(owner, 0) >= limits.maxStreamsPerAddress()) {
      throw new SessionLimitException(429, "Too Many Requests: this " + (owner.startsWith("address:") ? "address"
        : "key") + " holds " + limits.maxStreamsPerAddress() + " open streams (mcp.max_streams_per_address); close "
        + "one first");
    }
    if (sessions.size() >= limits.maxSessions() && unbound.isEmpty()) {
      throw new SessionLimitException(503, "Service Unavailable: too many open sessions; try again later");
    }
  }

  /**
   * Opens a session for a client at {@code address} (null for stdio, which has none), first ending the least
   * recently used sessions that have to make room.
   *
   * @throws SessionLimitException when the limits leave no room
   */
  public McpSession open(Transport transport, CallerIdentity caller, String address) {
    checkAdmission(transport, caller, address);
    String owner = ownerOf(caller, address);
    if (!transport.connectionBound() && owner != null) {
      LinkedHashMap<String, McpSession> own = unboundByAddress.get(owner);
      while (own != null && own.size() >= limits.maxSessionsPerAddress()) {
        close(own.keySet().iterator().next());
        own = unboundByAddress.get(owner);
      }
    }
    while (sessions.size() >= limits.maxSessions()) {
      close(unbound.keySet().iterator().next());
    }
    String id;
    do {
      byte[] bytes = new byte[ID_BYTES];
      random.nextBytes(bytes);
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    } while (sessions.containsKey(id));
    McpSession session = new McpSession(id, transport, caller, address, limits.maxInFlight(), clock.getAsLong());
    sessions.put(id, session);
    if (transport.connectionBound()) {
      if (owner != null) {
        streamsByAddress.merge(owner, 1, Integer::sum);
      }
    } else {
      unbound.put(id, session);
      if (owner != null) {
        unboundByAddress.computeIfAbsent(owner, a -> new LinkedHashMap<>(16, 0.75f, true)).put(id, session);
      }
    }
    return session;
  }

  /** Opens a session for a client without an address (stdio, tests). */
  public McpSession open(Transport transport, CallerIdentity caller) {
    return open(transport, caller, null);
  }

  /** The open session with this id, or null. */
  public McpSession find(String id) {
    return id == null ? null : sessions.get(id);
  }

  /** Ends a session (closing whatever carries it); false when there was none. */
  public boolean close(String id) {
    McpSession session = id == null ? null : sessions.remove(id);
    if (session == null) {
      return false;
    }
    String owner = ownerOf(session.caller(), session.address());
    if (session.transport().connectionBound()) {
      if (owner != null) {
        streamsByAddress.computeIfPresent(owner, (a, count) -> count <= 1 ? null : count - 1);
      }
    } else {
      unbound.remove(id);
      if (owner != null) {
        LinkedHashMap<String, McpSession> own = unboundByAddress.get(owner);
        if (own != null) {
          own.remove(id);
          if (own.isEmpty()) {
            unboundByAddress.remove(owner);
          }
        }
      }
    }
    session.close();
    return true;
  }

  /** Marks the session used now: it becomes the last to make room or expire. */
  public void touch(McpSession session) {
    session.touch(clock.getAsLong());
    if (!session.transport().connectionBound() && !session.closed()) {
      // get() on an access-ordered map moves the entry to the end.
      unbound.get(session.id());
      String owner = ownerOf(session.caller(), session.address());
      if (owner != null) {
        LinkedHashMap<String, McpSession> own = unboundByAddress.get(owner);
        if (own != null) {
          own.get(session.id());
        }
      }
    }
  }

  /** Ends every session that no connection holds and that has been idle too long; returns how many ended. */
  public int expireIdle() {
    long now = clock.getAsLong();
    List<String> expired = new ArrayList<>();
    Iterator<McpSession> oldestFirst = unbound.values().iterator();
    while (oldestFirst.hasNext()) {
      McpSession session = oldestFirst.next();
      if (now - session.lastActiveMillis() <= limits.idleMillis()) {
        break;
      }
      expired.add(session.id());
    }
    expired.forEach(this::close);
    return expired.size();
  }

  public void closeAll() {
    new ArrayList<>(sessions.keySet()).forEach(this::close);
  }

  /**
   * Ends the sessions opened with a credential that has just changed (revoked, rotated, its app paused): a request
   * over HTTP is checked again anyway, but a WebSocket or an event stream would otherwise go on with the old word.
   * Their clients reconnect and are checked again. Returns how many ended.
   *
   * @param keyId the changed key's id, or null
   * @param app   the changed app, or null
   */
  public int closeCredential(String keyId, String app) {
    List<String> ended = new ArrayList<>();
    sessions.values().forEach(session -> {
      Caller principal = session.caller().principal();
      boolean stored = principal.kind() == Caller.Kind.KEY;
      if (stored && (principal.id().equals(keyId) || app != null && app.equals(principal.app()))) {
        ended.add(session.id());
      }
    });
    ended.forEach(this::close);
    return ended.size();
  }

  public int size() {
    return sessions.size();
  }

  /** Open sessions per transport label, for health. */
  public Map<String, Integer> countByTransport() {
    Map<String, Integer> counts = new HashMap<>();
    sessions.values().forEach(s -> counts.merge(s.transport().label(), 1, Integer::sum));
    return counts;
  }
}
