package dev.memgate.access.keys;

import dev.memgate.access.Permission;
import dev.memgate.contract.BusFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A request to create a key, checked whole before anything is stored. A key's reach is said explicitly: {@code users}
 * is a list of user ids or {@code "*"} (a service key, for a back end that serves many users); {@code agents} the
 * same, {@code "*"} when absent. Permissions are listed one by one: nothing is granted by default.
 */
public record KeyRequest(String name, String app, Set<String> users, Set<String> agents, Set<Permission> permissions,
                         Integer requestsPerMinute, Instant expiresAt) {
  static final int MAX_NAME = 128;
  static final int MAX_IDS = 1_000;

  public static KeyRequest from(JsonObject body, Instant now) {
    String name = text(body, "name", true);
    String app = text(body, "app", false);
    Set<String> users = ids(body, "users", true);
    Set<String> agents = ids(body, "agents", false);
    Set<Permission> permissions = permissions(body.getValue("permissions"));
    Integer perMinute = null;
    Object rate = body.getValue("requests_per_minute");
    if (rate != null) {
      if (!(rate instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
        || number.longValue() < 1 || number.longValue() > 1_000_000) {
        throw bad("requests_per_minute", "requests_per_minute must be a whole number from 1 to 1000000");
      }
      perMinute = number.intValue();
    }
    Instant expires = null;
    Object rawExpiry = body.getValue("expires_at");
    if (rawExpiry != null) {
      try {
        expires = Instant.parse((String) rawExpiry);
      } catch (ClassCastException | DateTimeParseException e) {
        throw bad("expires_at", "expires_at must be a UTC timestamp such as 2027-01-31T00:00:00Z");
      }
      if (!expires.isAfter(now)) {
        throw bad("expires_at", "expires_at is in the past: the key would never work");
      }
    }
    return new KeyRequest(name, app, users, agents, permissions, perMinute, expires);
  }

  private static String text(JsonObject body, String field, boolean required) {
    Object value = body.getValue(field);
    if (value == null && !required) {
      return null;
    }
    if (!(value instanceof String text) || text.isBlank()) {
      throw bad(field, field + " must be a non-empty string");
    }
    if (text.length() > MAX_NAME) {
      throw bad(field, field + " is longer than " + MAX_NAME + " characters");
    }
    return text.strip();
  }

  /** A list of ids, or null for "*" (any). */
  private static Set<String> ids(JsonObject body, String field, boolean required) {
    Object value = body.getValue(field);
    if (value == null) {
      if (required) {
        throw bad(field, field + " is required: a list of " + field + " the key may act for, or \"*\" for any");
      }
      return null;
    }
    if ("*".equals(value)) {
      return null;
    }
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_IDS) {
      throw bad(field, field + " must be \"*\" or a list of 1 to " + MAX_IDS + " ids");
    }
    Set<String> ids = new LinkedHashSet<>();
    for (Object id : array) {
      if (!(id instanceof String text) || text.isBlank() || text.length() > 256 || "*".equals(text)) {
        throw bad(field, field + " must hold non-empty ids of at most 256 characters");
      }
      ids.add(text.strip());
    }
    return ids;
  }

  private static Set<Permission> permissions(Object value) {
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw bad("permissions", "permissions must list what the key may do: read, write, delete, admin");
    }
    Set<Permission> permissions = EnumSet.noneOf(Permission.class);
    for (Object name : array) {
      try {
        permissions.add(Permission.fromWire((String) name));
      } catch (ClassCastException | IllegalArgumentException e) {
        throw bad("permissions", "permissions can hold only read, write, delete and admin");
      }
    }
    return permissions;
  }

  private static RuntimeException bad(String field, String detail) {
    return BusFailure.badInput(field, detail).toException();
  }
}
