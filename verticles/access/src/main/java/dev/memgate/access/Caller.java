package dev.memgate.access;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Who a request comes from, once its credential has been checked: which key (or token), the app it belongs to, the
 * users and agents it may act for, what it may do and how fast. Both listeners put it on the request under
 * {@link #CONTEXT_KEY}; the memory service receives it with every request and applies the scope, so REST and MCP
 * obey the same rules.
 *
 * @param id                an identifier safe to log and to show: a key's id, {@code bootstrap}, a token's subject,
 *                          {@code open}; never a secret
 * @param kind              how the caller was recognised
 * @param name              a human-readable name (the key's name), or the id
 * @param app               the client app this caller belongs to ("claude-desktop", "cursor", a back end), or null
 * @param users             the users it may act for; null means any user (a service key)
 * @param agents            the agents it may act for; null means any agent
 * @param permissions       what it may do
 * @param requestsPerMinute its own rate limit, or null for the configured default
 * @param expiresAt         when its credential stops working, or null for never
 * @param memoryAccess      whether it may read memories other apps wrote ({@link MemoryAccess#ALL}), or only its
 *                          own app's
 */
public record Caller(String id, Kind kind, String name, String app, Set<String> users, Set<String> agents,
                     Set<Permission> permissions, Integer requestsPerMinute, Instant expiresAt,
                     MemoryAccess memoryAccess) {

  /** Where listeners keep the caller on a request ({@code RoutingContext.get(CONTEXT_KEY)}). */
  public static final String CONTEXT_KEY = "memgate.caller";

  /** How a caller was recognised. */
  public enum Kind {
    /** No credential is configured and the listener is on loopback: one user on one machine, as before keys. */
    OPEN,
    /** The operator's key from the environment ({@code MEMGATE_API_KEY} / {@code MEMGATE_MCP_TOKEN}). */
    BOOTSTRAP,
    /** A key created through the admin API, stored as a hash. */
    KEY,
    /** A token issued by an external authorization server (OpenID Connect), checked against its JWKS. */
    TOKEN
  }

  /** How far a caller's reads reach across apps: every app's memories, or only those its own app wrote. */
  public enum MemoryAccess {
    ALL, OWN;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static MemoryAccess fromWire(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  /** A caller that may read every app's memories. */
  public Caller(String id, Kind kind, String name, String app, Set<String> users, Set<String> agents,
                Set<Permission> permissions, Integer requestsPerMinute, Instant expiresAt) {
    this(id, kind, name, app, users, agents, permissions, requestsPerMinute, expiresAt, MemoryAccess.ALL);
  }

  public Caller {
    memoryAccess = memoryAccess == null ? MemoryAccess.ALL : memoryAccess;
    users = users == null ? null : Set.copyOf(users);
    agents = agents == null ? null : Set.copyOf(agents);
    permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
  }

  /** The caller of a Memgate that asks for no credential (loopback, no key configured). */
  public static final Caller OPEN = new Caller("open", Kind.OPEN, "open", null, null, null, Permission.ALL, null,
    null);

  /** The operator's bootstrap key: every user, every permission. */
  public static final Caller BOOTSTRAP = new Caller("bootstrap", Kind.BOOTSTRAP, "bootstrap", null, null, null,
    Permission.ALL, null, null);

  public boolean may(Permission permission) {
    return permissions.contains(permission);
  }

  /** True when the caller may act for any user (a service key, the bootstrap key, an open Memgate). */
  public boolean anyUser() {
    return users == null;
  }

  /** Whether the caller may act for this user; a memory without a user is only for callers of any user. */
  public boolean allowsUser(String userId) {
    return users == null || userId != null && users.contains(userId);
  }

  /** Whether the caller may act for this agent; a memory without an agent is only for callers of any agent. */
  public boolean allowsAgent(String agentId) {
    return agents == null || agentId != null && agents.contains(agentId);
  }

  /** The one user this caller acts for when it may act for exactly one, else null. */
  public String soleUser() {
    return users != null && users.size() == 1 ? users.iterator().next() : null;
  }

  /** True when this caller reads only the memories its own app wrote ({@code memory_access: own}). */
  public boolean ownAppOnly() {
    return memoryAccess == MemoryAccess.OWN && app != null;
  }

  /** The same caller with this reach across apps (its app's current setting). */
  public Caller withMemoryAccess(MemoryAccess access) {
    return new Caller(id, kind, name, app, users, agents, permissions, requestsPerMinute, expiresAt, access);
  }

  public boolean expired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /** The key a rate limiter counts this caller's requests under: one bucket per key, whichever node it calls. */
  public String limitKey() {
    return kind.name().toLowerCase() + ":" + id;
  }

  /** The caller as it travels on the bus with a request; no secret is part of it. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("kind", kind.name()).put("name", name);
    if (app != null) {
      json.put("app", app);
    }
    if (users != null) {
      json.put("users", new JsonArray(users.stream().sorted().toList()));
    }
    if (agents != null) {
      json.put("agents", new JsonArray(agents.stream().sorted().toList()));
    }
    json.put("permissions", new JsonArray(permissions.stream().sorted().map(Permission::wireName).toList()));
    if (requestsPerMinute != null) {
      json.put("requests_per_minute", requestsPerMinute);
    }
    if (expiresAt != null) {
      json.put("expires_at", expiresAt.toString());
    }
    if (memoryAccess != MemoryAccess.ALL) {
      json.put("memory_access", memoryAccess.wireName());
    }
    return json;
  }

  public static Caller fromJson(JsonObject json) {
    String expires = json.getString("expires_at");
    String access = json.getString("memory_access");
    return new Caller(json.getString("id"), Kind.valueOf(json.getString("kind")), json.getString("name"),
      json.getString("app"), ids(json.getJsonArray("users")), ids(json.getJsonArray("agents")),
      Permission.fromWire(json.getJsonArray("permissions", new JsonArray())),
      json.getInteger("requests_per_minute"), expires == null ? null : Instant.parse(expires),
      access == null ? MemoryAccess.ALL : MemoryAccess.fromWire(access));
  }

  /** A list of user or agent ids as JSON carries it; null (any) stays null. */
  public static Set<String> ids(JsonArray array) {
    if (array == null) {
      return null;
    }
    Set<String> texts = new LinkedHashSet<>();
    array.forEach(value -> texts.add((String) value));
    return texts;
  }
}
