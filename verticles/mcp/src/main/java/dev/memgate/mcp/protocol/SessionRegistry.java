package dev.memgate.mcp.protocol;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The open sessions. Ids are 192 random bits from a {@link SecureRandom}, base64url-encoded (visible ASCII, as the
 * spec asks), so they cannot be guessed; they still never authenticate anything (the bearer token and Origin checks
 * run on every request). Sessions not held by a connection expire after the idle time; the count is capped so a
 * client that opens sessions in a loop cannot exhaust memory. Event-loop confined.
 */
public final class SessionRegistry {
  private static final int ID_BYTES = 24;

  private final Map<String, McpSession> sessions = new HashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final int maxSessions;
  private final long idleMillis;
  private final LongSupplier clock;

  public SessionRegistry(int maxSessions, long idleMillis, LongSupplier clock) {
    this.maxSessions = maxSessions;
    this.idleMillis = idleMillis;
    this.clock = clock;
  }

  /** True when no new session may open until one ends. */
  public boolean full() {
    return sessions.size() >= maxSessions;
  }

  public McpSession open(Transport transport, CallerIdentity caller) {
    if (full()) {
      throw new IllegalStateException("session limit reached");
    }
    String id;
    do {
      byte[] bytes = new byte[ID_BYTES];
      random.nextBytes(bytes);
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    } while (sessions.containsKey(id));
    McpSession session = new McpSession(id, transport, caller, clock.getAsLong());
    sessions.put(id, session);
    return session;
  }

  /** The open session with this id, or null. */
  public McpSession find(String id) {
    return id == null ? null : sessions.get(id);
  }

  /** Ends a session (closing whatever carries it); false when there was none. */
  public boolean close(String id) {
    McpSession session = sessions.remove(id);
    if (session == null) {
      return false;
    }
    session.close();
    return true;
  }

  public void touch(McpSession session) {
    session.touch(clock.getAsLong());
  }

  /** Ends every session that no connection holds and that has been idle too long; returns how many ended. */
  public int expireIdle() {
    long now = clock.getAsLong();
    List<String> expired = new ArrayList<>();
    sessions.forEach((id, session) -> {
      if (!session.transport().connectionBound() && now - session.lastActiveMillis() > idleMillis) {
        expired.add(id);
      }
    });
    expired.forEach(this::close);
    return expired.size();
  }

  public void closeAll() {
    new ArrayList<>(sessions.keySet()).forEach(this::close);
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
