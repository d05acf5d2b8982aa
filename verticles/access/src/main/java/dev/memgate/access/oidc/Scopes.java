package dev.memgate.access.oidc;

import dev.memgate.access.Permission;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OAuth scopes Memgate understands, and the permissions a token's scopes grant. A token that carries none of
 * Memgate's scopes gets read and write: its audience already says it was issued for Memgate, and many authorization
 * servers issue tokens without custom scopes unless each client is set up for them; deleting, though, is granted
 * only on purpose ({@value #DELETE}), as with keys. Tokens never grant admin: keys, apps and the audit log are for
 * operators, who use Memgate keys.
 */
public final class Scopes {
  public static final String READ = "memories:read";
  public static final String WRITE = "memories:write";
  public static final String DELETE = "memories:delete";
  /** In the order the protected resource metadata lists them. */
  public static final List<String> SUPPORTED = List.of(READ, WRITE, DELETE);
  /** What a token without any of Memgate's scopes may do. */
  public static final Set<Permission> WITHOUT_SCOPES = EnumSet.of(Permission.READ, Permission.WRITE);

  private static final Map<String, Permission> GRANTS = Map.of(READ, Permission.READ, WRITE, Permission.WRITE,
    DELETE, Permission.DELETE);

  private Scopes() {
  }

  /** The scope that grants a permission, as a 403 {@code insufficient_scope} names it; null for admin. */
  public static String of(Permission permission) {
    return GRANTS.entrySet().stream().filter(e -> e.getValue() == permission).map(Map.Entry::getKey).findFirst()
      .orElse(null);
  }

  /**
   * The permissions of a token's claims: {@code scope} (RFC 9068: a space-separated string), or {@code scp} (Entra ID
   * writes a string, Okta an array).
   */
  public static Set<Permission> permissionsOf(JsonObject claims) {
    List<String> granted = new ArrayList<>();
    for (String claim : List.of("scope", "scp")) {
      Object value = claims.getValue(claim);
      if (value instanceof String text) {
        granted.addAll(List.of(text.strip().split("\\s+")));
      } else if (value instanceof JsonArray array) {
        array.forEach(item -> {
          if (item instanceof String text) {
            granted.add(text);
          }
        });
      }
    }
    Set<Permission> permissions = EnumSet.noneOf(Permission.class);
    granted.forEach(scope -> {
      Permission permission = GRANTS.get(scope);
      if (permission != null) {
        permissions.add(permission);
      }
    });
    return permissions.isEmpty() ? EnumSet.copyOf(WITHOUT_SCOPES) : permissions;
  }
}
