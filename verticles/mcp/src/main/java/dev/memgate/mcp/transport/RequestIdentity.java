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
 */
final class RequestIdentity {
  static final String USER_HEADER = "X-Memgate-User";
  static final String PATH_USER = "user_id";
  static final String PATH_CLIENT = "client_name";

  private RequestIdentity() {
  }

  /** The caller, or null once the request has been refused with 400 (see {@link #of}). */
  static CallerIdentity orRefuse(RoutingContext rc) {
    try {
      return of(rc);
    } catch (JsonRpcException e) {
      HttpReplies.error(rc, 400, e, "invalid user");
      return null;
    }
  }

  /** @throws JsonRpcException (answered with 400) for a user that cannot be one, or two that disagree */
  static CallerIdentity of(RoutingContext rc) {
    String pathUser = checked(rc.pathParam(PATH_USER), "the URL path's user_id");
    String headerUser = checked(rc.request().getHeader(USER_HEADER), "the " + USER_HEADER + " header");
    String client = rc.pathParam(PATH_CLIENT);
    Caller principal = rc.get(Caller.CONTEXT_KEY, Caller.OPEN);
    if (pathUser != null && headerUser != null && !pathUser.equals(headerUser)) {
      throw new JsonRpcException(JsonRpc.INVALID_REQUEST, "the URL path names user " + pathUser + " but the "
        + USER_HEADER + " header names " + headerUser);
    }
    if (pathUser != null) {
      return new CallerIdentity(pathUser, "the URL path", client, principal);
    }
    if (headerUser != null) {
      return new CallerIdentity(headerUser, "the " + USER_HEADER + " header", client, principal);
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

  /** True when the request may use the session: nothing it says about the user contradicts the session's user. */
  static boolean fits(CallerIdentity request, McpSession session) {
    String sessionUser = session.initialized() ? session.userId() : session.caller().userId();
    return request.userId() == null || request.userId().equals(sessionUser);
  }
}
