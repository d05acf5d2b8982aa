package dev.memgate.gateway.http;

import dev.memgate.edge.HostPolicy;
import dev.memgate.edge.OriginPolicy;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;

import java.util.List;
import java.util.Locale;

/**
 * What every REST request must pass before the router sees it, so before the API key is checked and before any
 * body is read: the defences against web pages the user visits.
 *
 * <ul>
 *   <li>{@code Host} must name a host this server answers to (400 otherwise): a DNS-rebinding page reaches the
 *   loopback service under its own name, and says so in {@code Host}. A missing or malformed {@code Host} is refused
 *   here too, rather than deep in the router.</li>
 *   <li>A browser request from another origin (an {@code Origin} the policy does not allow, or
 *   {@code Sec-Fetch-Site: cross-site}) gets 403.</li>
 *   <li>A POST must be {@code application/json}, also without a body (415 otherwise): POST is the only
 *   state-changing method a browser sends cross-site without asking first, and only with a form or text type.</li>
 *   <li>A percent-escape in the URL must be {@code %} and two hex digits (400 otherwise).</li>
 * </ul>
 */
final class EdgeChecks implements Handler<HttpServerRequest> {
  private final HostPolicy hosts;
  private final OriginPolicy origins;
  private final Handler<HttpServerRequest> next;

  EdgeChecks(HostPolicy hosts, OriginPolicy origins, Handler<HttpServerRequest> next) {
    this.hosts = hosts;
    this.origins = origins;
    this.next = next;
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (!hosts.allows(host(request))) {
      Problems.send(request, Problems.plain(400, "the Host header must name one host this server answers to "
        + "(see http.allowed_hosts)").put("field", "Host"));
    } else if (!origins.allows(request.getHeader("Origin"))) {
      Problems.send(request, Problems.plain(403, "requests from this browser origin are refused (see "
        + "http.allowed_origins)").put("field", "Origin"));
    } else if (crossSite(request.getHeader("Sec-Fetch-Site"))) {
      Problems.send(request, Problems.plain(403, "cross-site browser requests are refused")
        .put("field", "Sec-Fetch-Site"));
    } else if (request.method() == HttpMethod.POST && !json(request.getHeader("Content-Type"))) {
      Problems.send(request, Problems.plain(415, "a POST must be sent as Content-Type: application/json, also when "
        + "it has no body").put("field", "Content-Type"));
    } else if (!StrictUtf8.wellFormedEscapes(request.path()) || !StrictUtf8.wellFormedEscapes(request.query())) {
      Problems.send(request, Problems.plain(400, "the request URL has a malformed percent-escape (% must be "
        + "followed by two hex digits)"));
    } else {
      next.handle(request);
    }
  }

  /**
   * The host the request names, or null when it names none, several, or one Vert.x cannot read (a port over
   * 65535): the router would refuse that one later, without saying why.
   */
  private static String host(HttpServerRequest request) {
    HostAndPort authority = request.authority();
    if (authority == null) {
      return null;
    }
    if (request.version() == HttpVersion.HTTP_2) {
      return authority.toString();
    }
    List<String> hosts = request.headers().getAll("Host");
    return hosts.size() == 1 ? hosts.get(0) : null;
  }

  private static boolean crossSite(String secFetchSite) {
    return secFetchSite != null && secFetchSite.strip().equalsIgnoreCase("cross-site");
  }

  /** {@code application/json}, with or without parameters such as {@code charset}. */
  private static boolean json(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.strip().toLowerCase(Locale.ROOT).equals("application/json");
  }
}
