package dev.memgate.mcp.protocol;

import dev.memgate.access.Caller;

/**
 * Who a transport says is calling, before initialize adds its own word: the user named by the URL path
 * (OpenMemory's {@code /mcp/{client_name}/sse/{user_id}}) or by the {@code X-Memgate-User} header, and the client
 * app's name when the path gives one; and who the credential says it is ({@link Caller}: {@link Caller#OPEN} when
 * none is configured, and over stdio, which only the local user can reach).
 *
 * @param userId     the user the transport names, or null
 * @param source     where that user came from, for messages ("the URL path", "the X-Memgate-User header")
 * @param clientName the client app named by the path, or null
 * @param principal  who the request's credential stands for; never null
 */
public record CallerIdentity(String userId, String source, String clientName, Caller principal) {
  public static final CallerIdentity NONE = new CallerIdentity(null, null, null, Caller.OPEN);
  /** The source of a user that the credential itself names (a key or token bound to one user). */
  public static final String FROM_CREDENTIAL = "the credential";

  /** Whom a credential acts for, as refusals say it: "user alice", "users alice, bob" or "any user". */
  public static String usersOf(Caller principal) {
    if (principal.anyUser()) {
      return "any user";
    }
    return (principal.users().size() == 1 ? "user " : "users ")
      + String.join(", ", principal.users().stream().sorted().toList());
  }
}
