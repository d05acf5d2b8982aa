package dev.memgate.mcp.transport;

import dev.memgate.access.Caller;
import dev.memgate.mcp.protocol.CallerIdentity;
import dev.memgate.mcp.protocol.JsonRpc;
import dev.memgate.mcp.protocol.JsonRpcException;
import dev.memgate.mcp.protocol.McpProtocol;
import dev.memgate.mcp.protocol.McpSession;
import io.vertx.ext.web.RoutingContext;

/**
 * Who an HTTP request says it acts for: the user in OpenMemory's path ({@code /mcp/{client_name}/.../{user_id}})
 * or in the {@code X-Memgate-User} header. When both name a user they must agree. A request to an existing session
 * that names another user than the session's is answered as if the session did not exist: sessions are keyed by
 * user, so a session id alone never lets one user act as another.
 *
 * <p>The credential has the last word: a caller that acts for one user (a key or token bound to it) acts for that
 * user when the request names none, and a request that names a user the credential may not act for is refused with
 * 403 saying so. A caller that may act for any user (the bootstrap key, a service key, an open Memgate) names the
 * user as before, and a session answers only requests that carry the credential (key or token subject) it was
 * opened with.
 */
final class RequestIdentity {
  static final String USER_HEADER = "X-Memgate-User";
  static final String PATH_USER = "user_id";
  static final String PATH_CLIENT = "client_name";

  private RequestIdentity() {
  }

  /** The caller, or null once the request has been refused with 400 or 403 (see {@link #of}). */
  static CallerIdentity orRefuse(RoutingContext rc) {
    try {
      return of(rc);
    } catch (JsonRpcException e) {
      boolean forbidden = e.code() == JsonRpc.FORBIDDEN;
      HttpReplies.error(rc, forbidden ? 403 : 400, e, forbidden ? "user not allowed for the credential"
        : "invalid user");
      return null;
    }
  }

  /**
   * @throws JsonRpcException (answered with 400) for a user that cannot be one, or two that disagree;
   *                          {@link JsonRpc#FORBIDDEN} (403) for a user the credential may not act for
   */
  static CallerIdentity of(RoutingContext rc) {
    String pathUser = checked(rc.pathParam(PATH_USER), "the URL path's user_id");
    String headerUser = checked(rc.request().getHeader(USER_HEADER), "the " + USER_HEADER + " header");
    String client = rc.pathParam(PATH_CLIENT);
    Caller principal = rc.get(Caller.CONTEXT_KEY, Caller.OPEN);
    if (pathUser != null && headerUser != null && !pathUser.equals(headerUser)) {
      throw new JsonRpcException(JsonRpc.INVALID_REQUEST, "the URL path names user " + pathUser + " but the "
        + USER_HEADER + " header names " + headerUser);
    }
    String named = pathUser != null ? pathUser : headerUser;
    if (named != null) {
      String source = pathUser != null ? "the URL path" : "the " + USER_HEADER + " header";
      if (!principal.allowsUser(named)) {
        throw new JsonRpcException(JsonRpc.FORBIDDEN, "Forbidden: the credential acts for "
          + CallerIdentity.usersOf(principal) + ", but " + source + " names user " + named);
      }
      return new CallerIdentity(named, source, client, principal);
    }
    String sole = principal.soleUser();
    if (sole != null) {
      return new CallerIdentity(sole, CallerIdentity.FROM_CREDENTIAL, client, principal);
    }
    return new CallerIdentity(null, null, client, principal);
  }

  private static String checked(String value, String where) {
    if (value == null) {
      return null;
    }
    String problem = McpProtocol.userIdProblem(value);
    if (problem != null) {
      throw new JsonRpcException(JsonRpc.INVALID_REQUEST, where + " " + problem);
    }
    return value.strip();
  }

  /**
   * True when the request may use the session: it carries the credential the session was opened with, and nothing
   * it says about the user contradicts the session's user.
   */
  static boolean fits(CallerIdentity request, McpSession session) {
    Caller opener = session.caller().principal();
    if (request.principal().kind() != opener.kind() || !request.principal().id().equals(opener.id())) {
      return false;
    }
    String sessionUser = session.initialized() ? session.userId() : session.caller().userId();
    return request.userId() == null || request.userId().equals(sessionUser);
  }
}
