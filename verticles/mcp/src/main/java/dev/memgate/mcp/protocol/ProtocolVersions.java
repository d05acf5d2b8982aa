package dev.memgate.mcp.protocol;

import java.util.List;

/**
 * The MCP revisions Memgate speaks, newest first. Streamable HTTP exists only from 2025-03-26 on; 2024-11-05 is
 * spoken over the transports that revision had (stdio, legacy HTTP+SSE) and over WebSocket.
 */
public final class ProtocolVersions {
  public static final String V2025_11_25 = "2025-11-25";
  public static final String V2025_06_18 = "2025-06-18";
  public static final String V2025_03_26 = "2025-03-26";
  public static final String V2024_11_05 = "2024-11-05";

  public static final String LATEST = V2025_11_25;

  /** Every revision, newest first. */
  public static final List<String> ALL = List.of(V2025_11_25, V2025_06_18, V2025_03_26, V2024_11_05);
  /** The revisions that define Streamable HTTP. */
  public static final List<String> STREAMABLE_HTTP = List.of(V2025_11_25, V2025_06_18, V2025_03_26);

  /** What a Streamable HTTP client that sends no MCP-Protocol-Version header is assumed to speak (spec rule). */
  public static final String ASSUMED_WITHOUT_HEADER = V2025_03_26;

  private ProtocolVersions() {
  }

  /** The requested revision when it is spoken here, else the newest one: the client then decides whether to stay. */
  public static String negotiate(String requested, List<String> supported) {
    return supported.contains(requested) ? requested : supported.get(0);
  }

  /** JSON-RPC batches (arrays) were part of MCP only in these revisions. */
  public static boolean allowsBatches(String version) {
    return V2025_03_26.equals(version) || V2024_11_05.equals(version);
  }
}
