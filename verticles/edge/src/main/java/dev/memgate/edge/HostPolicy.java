package dev.memgate.edge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which {@code Host} headers a listener answers: the defence against DNS rebinding, where a web page re-points its
 * own name at 127.0.0.1 and then reads and writes the local service as a same-origin page. Such a request still
 * names the page's host ({@code Host: evil.example:8080}), so a listener bound to loopback answers only the
 * loopback names. Entries are host names or addresses, matched case-insensitively with any port; {@code *} allows
 * every host. An empty list means the default: the loopback names when the listener is bound to loopback, every
 * host otherwise (a server on a network is reached by names this process cannot know; set the list there).
 */
public final class HostPolicy {
  private static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "[::1]");
  // Every request's Host is parsed with these: compiled once, not per request.
  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");
  private static final Pattern NAME = Pattern.compile("[a-z0-9._-]+");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

  private final List<String> hosts;
  private final boolean anyHost;

  private HostPolicy(List<String> hosts, boolean anyHost) {
    this.hosts = hosts;
    this.anyHost = anyHost;
  }

  /**
   * @param allowed the configured names (may be empty)
   * @param bind    the address the listener binds to, for the default
   * @throws IllegalArgumentException naming an entry that is not a host name or address
   */
  public static HostPolicy of(List<String> allowed, String bind) {
    List<String> hosts = new ArrayList<>();
    boolean any = false;
    for (String raw : allowed) {
      String entry = raw.strip().toLowerCase(Locale.ROOT);
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.equals("*")) {
        any = true;
        continue;
      }
      String host = hostOf(entry);
      if (host == null || !host.equals(entry)) {
        throw new IllegalArgumentException("allowed host " + raw.strip() + " is not a host name or address "
          + "(give it without scheme or port; [::1] for IPv6)");
      }
      hosts.add(host);
    }
    if (hosts.isEmpty() && !any) {
      if (isLoopback(bind)) {
        hosts.addAll(LOOPBACK_NAMES);
      } else {
        any = true;
      }
    }
    return new HostPolicy(List.copyOf(hosts), any);
  }

  /** True when a request with this Host header (null when absent) may proceed. A request must name a host. */
  public boolean allows(String hostHeader) {
    if (hostHeader == null) {
      return false;
    }
    String host = hostOf(hostHeader.strip().toLowerCase(Locale.ROOT));
    if (host == null) {
      return false;
    }
    if (anyHost) {
      return true;
    }
    // "localhost." is the same name as "localhost" to a resolver.
    String bare = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    return hosts.contains(bare);
  }

  /** What this policy allows, for /health. */
  public List<String> describe() {
    return anyHost ? List.of("*") : hosts;
  }

  /** True for 127.0.0.0/8, ::1 and localhost. */
  public static boolean isLoopback(String bind) {
    String address = bind == null ? "" : bind.strip().toLowerCase(Locale.ROOT);
    return address.equals("localhost") || address.startsWith("127.") || address.equals("::1")
      || address.equals("[::1]");
  }

  /**
   * The host part of a Host header value ({@code name}, {@code name:port}, {@code [v6]} or {@code [v6]:port}), or
   * null when it is not one: no user info, path, spaces or empty parts.
   */
  static String hostOf(String value) {
    if (value.isEmpty()) {
      return null;
    }
    String host;
    String port;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = value.substring(0, close + 1);
      String rest = value.substring(close + 1);
      if (!rest.isEmpty() && !rest.startsWith(":")) {
        return null;
      }
      port = rest.isEmpty() ? null : rest.substring(1);
      if (!IPV6.matcher(host.substring(1, host.length() - 1)).matches()) {
        return null;
      }
    } else {
      int colon = value.indexOf(':');
      host = colon < 0 ? value : value.substring(0, colon);
      port = colon < 0 ? null : value.substring(colon + 1);
      if (!NAME.matcher(host).matches()) {
        return null;
      }
    }
    if (port != null && (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65_535)) {
      return null;
    }
    return host;
  }
}
