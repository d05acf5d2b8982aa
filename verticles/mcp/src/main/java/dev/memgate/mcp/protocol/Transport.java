package dev.memgate.mcp.protocol;

import java.util.List;

/** The ways a client reaches the server, with what each one speaks and how its sessions end. */
public enum Transport {
  STREAMABLE_HTTP("streamable-http", ProtocolVersions.STREAMABLE_HTTP, false),
  WEBSOCKET("websocket", ProtocolVersions.ALL, true),
  LEGACY_SSE("sse", ProtocolVersions.ALL, true),
  STDIO("stdio", ProtocolVersions.ALL, true);

  private final String label;
  private final List<String> versions;
  private final boolean connectionBound;

  Transport(String label, List<String> versions, boolean connectionBound) {
    this.label = label;
    this.versions = versions;
    this.connectionBound = connectionBound;
  }

  public String label() {
    return label;
  }

  /** The protocol revisions this transport can carry, newest first. */
  public List<String> versions() {
    return versions;
  }

  /**
   * True when a live connection holds the session (it ends when the connection does); false for Streamable HTTP,
   * whose sessions outlive every request and therefore expire when idle.
   */
  public boolean connectionBound() {
    return connectionBound;
  }
}
