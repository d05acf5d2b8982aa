package dev.memgate.access;

import io.vertx.core.json.JsonArray;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a caller may do with the memories in its scope. Each is asked for separately: a key for a dashboard reads,
 * a key for an agent reads and writes, deleting is granted on purpose, and admin (keys, apps, audit, reset) is for
 * operators.
 */
public enum Permission {
  /** Get, list, search, history, graph. */
  READ,
  /** Add and update. */
  WRITE,
  /** Delete one, delete all of a scope. */
  DELETE,
  /** Keys, apps, the audit log, and reset (which wipes every user). */
  ADMIN;

  /** Every permission: what the bootstrap key and an open (keyless, loopback) Memgate grant. */
  public static final Set<Permission> ALL = EnumSet.allOf(Permission.class);

  /** The name on the wire and in configuration: {@code read}, {@code write}, {@code delete}, {@code admin}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The permissions a JSON list names. */
  public static Set<Permission> fromWire(JsonArray names) {
    Set<Permission> permissions = EnumSet.noneOf(Permission.class);
    names.forEach(name -> permissions.add(fromWire((String) name)));
    return permissions;
  }

  /** @throws IllegalArgumentException naming the value when it is not one of the four */
  public static Permission fromWire(String name) {
    for (Permission permission : values()) {
      if (permission.wireName().equals(name)) {
        return permission;
      }
    }
    throw new IllegalArgumentException("unknown permission '" + name + "' (read, write, delete or admin)");
  }
}
