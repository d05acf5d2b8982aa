package dev.memgate.edge;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which browser origins may talk to the server (the defence against DNS rebinding the MCP spec requires). Patterns
 * are {@code scheme://host[:port]}, where the port may be {@code *}; a lone {@code *} allows every origin. A request
 * without an {@code Origin} header does not come from a browser page and is allowed; the opaque origin
 * {@code null} (sandboxed frames, files) never is.
 */
public final class OriginPolicy {
  private final List<Pattern> patterns;
  private final boolean anyOrigin;

  private record Pattern(String scheme, String host, int port) {
    /** Port -1: any port. */
    boolean matches(String scheme, String host, int port) {
      return this.scheme.equals(scheme) && this.host.equals(host) && (this.port == -1 || this.port == port);
    }
  }

  private OriginPolicy(List<Pattern> patterns, boolean anyOrigin) {
    this.patterns = patterns;
    this.anyOrigin = anyOrigin;
  }

  /**
   * @throws IllegalArgumentException naming a pattern that is not {@code scheme://host[:port|:*]} or {@code *}
   */
  public static OriginPolicy of(List<String> allowed) {
    List<Pattern> patterns = new ArrayList<>();
    boolean any = false;
    for (String raw : allowed) {
      String text = raw.strip();
      if (text.isEmpty()) {
        continue;
      }
      if (text.equals("*")) {
        any = true;
        continue;
      }
      boolean anyPort = text.endsWith(":*");
      String withoutPort = anyPort ? text.substring(0, text.length() - 2) : text;
      Origin origin = Origin.parse(withoutPort);
      if (origin == null) {
        throw new IllegalArgumentException("allowed origin " + raw
          + " is not scheme://host[:port] (the port may be *)");
      }
      patterns.add(new Pattern(origin.scheme(), origin.host(), anyPort ? -1 : origin.port()));
    }
    return new OriginPolicy(List.copyOf(patterns), any);
  }

  /** True when a request with this Origin header (null when absent) may proceed. */
  public boolean allows(String originHeader) {
    if (originHeader == null) {
      return true;
    }
    if (anyOrigin) {
      return true;
    }
    Origin origin = Origin.parse(originHeader.strip());
    return origin != null && patterns.stream().anyMatch(p -> p.matches(origin.scheme(), origin.host(), origin.port()));
  }

  /** A serialized origin: scheme, lower-case host, port (the scheme's default when not written). */
  private record Origin(String scheme, String host, int port) {
    static Origin parse(String text) {
      if (text.equals("null")) {
        return null;
      }
      try {
        URI uri = new URI(text);
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (scheme == null || host == null || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()
          && !uri.getRawPath().equals("/")) || uri.getRawQuery() != null || uri.getUserInfo() != null) {
          return null;
        }
        int port = uri.getPort() != -1 ? uri.getPort() : switch (scheme) {
          case "http", "ws" -> 80;
          case "https", "wss" -> 443;
          default -> -1;
        };
        return new Origin(scheme, host.toLowerCase(Locale.ROOT), port);
      } catch (URISyntaxException e) {
        return null;
      }
    }
  }
}
