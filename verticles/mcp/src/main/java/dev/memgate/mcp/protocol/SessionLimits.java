package dev.memgate.mcp.protocol;

/**
 * How much of the server one client may hold, so that no single client can lock the others out or exhaust the
 * process (see {@code mcp.*} in the gateway's settings, which document each value).
 *
 * @param maxSessions           sessions open at once, over every transport
 * @param maxSessionsPerAddress sessions no connection holds (Streamable HTTP) that one client may have: one key once
 *                              its credential is checked, one address without a credential
 *                              ({@link SessionRegistry#ownerOf})
 * @param maxStreamsPerAddress  standing connections (WebSocket, legacy SSE streams) one client may hold, counted
 *                              the same way
 * @param maxInFlight           requests one session answers at once (a key's sessions are capped above, so this
 *                              caps a key's requests in flight too)
 * @param idleMillis            how long a session no connection holds may stay unused
 */
public record SessionLimits(int maxSessions, int maxSessionsPerAddress, int maxStreamsPerAddress, int maxInFlight,
                            long idleMillis) {

  /** Only a total and an idle time: no per-address limits, eight requests at once (for tools and tests). */
  public static SessionLimits of(int maxSessions, long idleMillis) {
    return new SessionLimits(maxSessions, maxSessions, maxSessions, 8, idleMillis);
  }
}
