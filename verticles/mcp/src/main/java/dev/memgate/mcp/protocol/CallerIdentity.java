package dev.memgate.mcp.protocol;

/**
 * Who a transport says is calling, before initialize adds its own word: the user named by the URL path
 * (OpenMemory's {@code /mcp/{client_name}/sse/{user_id}}) or by the {@code X-Memgate-User} header, and the client
 * app's name when the path gives one. Every field may be null.
 *
 * @param userId     the user the transport names, or null
 * @param source     where that user came from, for messages ("the URL path", "the X-Memgate-User header")
 * @param clientName the client app named by the path, or null
 */
public record CallerIdentity(String userId, String source, String clientName) {
  public static final CallerIdentity NONE = new CallerIdentity(null, null, null);
}
