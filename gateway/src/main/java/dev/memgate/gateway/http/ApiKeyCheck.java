package dev.memgate.gateway.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * When an API key is configured, a request must carry it ({@code X-API-Key}, or {@code Authorization: Bearer} /
 * mem0's {@code Token}) before anything reads its body. Without it: 401 problem+json, except that {@code GET /health}
 * still answers its bare status, for load balancers.
 */
final class ApiKeyCheck implements PlatformHandler {
  static final String BARE_HEALTH = "memgate.bare-health";

  private final byte[] key;

  ApiKeyCheck(String key) {
    this.key = key.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext rc) {
    if (presented(rc)) {
      rc.next();
      return;
    }
    if (rc.request().method() == HttpMethod.GET && "/health".equals(rc.request().path())) {
      rc.put(BARE_HEALTH, true);
      rc.next();
      return;
    }
    rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"memgate\"");
    Problems.send(rc, new JsonObject().put("type", "about:blank").put("title", "Unauthorized").put("status", 401)
      .put("detail", "this Memgate needs its API key: send X-API-Key: <key> or Authorization: Bearer <key>")
      .put("code", 4010));
  }

  private boolean presented(RoutingContext rc) {
    String header = rc.request().getHeader("X-API-Key");
    if (header == null) {
      String authorization = rc.request().getHeader("Authorization");
      if (authorization != null) {
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? "" : authorization.substring(0, space);
        if (scheme.equalsIgnoreCase("Bearer") || scheme.equalsIgnoreCase("Token")) {
          header = authorization.substring(space + 1).strip();
        }
      }
    }
    // Constant time: how much of a guess was right must not show in how long the answer takes.
    return header != null && MessageDigest.isEqual(key, header.getBytes(StandardCharsets.UTF_8));
  }
}
