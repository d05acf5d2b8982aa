package dev.memgate.access.keys;

import dev.memgate.access.Caller;
import dev.memgate.access.Permission;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * An API key as the store keeps it: everything but the secret, of which only a SHA-256 hash is kept (a key's secret
 * is 256 random bits, so a fast hash is as safe as a slow one and costs nothing per request).
 *
 * @param id                the public part of the key ({@code mgk_<id>_<secret>}), unique, safe to log
 * @param secretHash        hex SHA-256 of the whole key string
 * @param users             the users it may act for; null = any (a service key)
 * @param agents            the agents it may act for; null = any
 * @param requestsPerMinute its own rate limit, or null for the default
 * @param expiresAt         null = never
 * @param revokedAt         null while the key works
 */
public record StoredKey(String id, String name, String secretHash, String app, Set<String> users, Set<String> agents,
                        Set<Permission> permissions, Integer requestsPerMinute, Instant expiresAt, Instant createdAt,
                        Instant revokedAt) {

  public StoredKey {
    users = users == null ? null : Set.copyOf(users);
    agents = agents == null ? null : Set.copyOf(agents);
    permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
  }

  public boolean revoked() {
    return revokedAt != null;
  }

  public boolean expired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /** {@code active}, {@code revoked} or {@code expired}. */
  public String status(Instant now) {
    return revoked() ? "revoked" : expired(now) ? "expired" : "active";
  }

  /** The caller a request made with this key acts as. */
  public Caller caller() {
    return new Caller(id, Caller.Kind.KEY, name, app, users, agents, permissions, requestsPerMinute, expiresAt);
  }

  public StoredKey withSecretHash(String hash) {
    return new StoredKey(id, name, hash, app, users, agents, permissions, requestsPerMinute, expiresAt, createdAt,
      revokedAt);
  }

  public StoredKey revokedAt(Instant at) {
    return new StoredKey(id, name, secretHash, app, users, agents, permissions, requestsPerMinute, expiresAt,
      createdAt, at);
  }

  /** What the admin API shows: never the hash. */
  public JsonObject view(Instant now) {
    JsonObject view = toStored();
    view.remove("secret_hash");
    return view.put("status", status(now));
  }

  /** The stored form, hash included. */
  public JsonObject toStored() {
    JsonObject json = new JsonObject().put("id", id).put("name", name).put("secret_hash", secretHash);
    json.put("app", app);
    json.put("users", users == null ? null : new JsonArray(users.stream().sorted().toList()));
    json.put("agents", agents == null ? null : new JsonArray(agents.stream().sorted().toList()));
    json.put("permissions", new JsonArray(permissions.stream().sorted().map(Permission::wireName).toList()));
    json.put("requests_per_minute", requestsPerMinute);
    json.put("expires_at", expiresAt == null ? null : expiresAt.toString());
    json.put("created_at", createdAt.toString());
    json.put("revoked_at", revokedAt == null ? null : revokedAt.toString());
    return json;
  }

  public static StoredKey fromStored(JsonObject json) {
    Set<Permission> permissions = EnumSet.noneOf(Permission.class);
    json.getJsonArray("permissions", new JsonArray()).forEach(p -> permissions.add(Permission.fromWire((String) p)));
    return new StoredKey(json.getString("id"), json.getString("name"), json.getString("secret_hash"),
      json.getString("app"), texts(json.getJsonArray("users")), texts(json.getJsonArray("agents")), permissions,
      json.getInteger("requests_per_minute"), instant(json.getString("expires_at")),
      instant(json.getString("created_at")), instant(json.getString("revoked_at")));
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }

  private static Set<String> texts(JsonArray array) {
    if (array == null) {
      return null;
    }
    Set<String> texts = new LinkedHashSet<>();
    array.forEach(value -> texts.add((String) value));
    return texts;
  }
}
