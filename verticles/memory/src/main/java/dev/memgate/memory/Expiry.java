package dev.memgate.memory;

import dev.memgate.contract.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * mem0's {@code expiration_date}: a memory that holds only until a day ("the trip is on until Friday") stops being
 * found by searches and lists once that day has passed (UTC), unless they ask with {@code show_expired}; it is not
 * deleted, and reading it by id still works. As in mem0, the date is kept beside the memory's metadata (under a key
 * that caller metadata may not use), so both stores keep and filter it with no schema of their own; items show it
 * at their top level.
 */
public final class Expiry {
  private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private Expiry() {
  }

  /** The day a request gives, checked; null when it gives none. */
  static String date(Object raw) {
    if (raw == null) {
      return null;
    }
    if (raw instanceof String text && DAY.matcher(text).matches()) {
      try {
        return LocalDate.parse(text).toString();
      } catch (DateTimeParseException impossible) {
        // 2026-02-30 and the like: refused below
      }
    }
    throw RequestRules.bad(Fields.EXPIRATION_DATE, "expiration_date must be a day as YYYY-MM-DD, e.g. 2026-12-31");
  }

  /** The metadata to store: the caller's, with the expiration date when there is one. */
  static JsonObject stored(JsonObject metadata, String date) {
    if (date == null) {
      return metadata;
    }
    return (metadata == null ? new JsonObject() : metadata.copy()).put(Fields.EXPIRATION_DATE, date);
  }

  /** The day a search or list asks the store for: memories expiring before it are left out. */
  public static String today() {
    return LocalDate.now(ZoneOffset.UTC).toString();
  }

  /** Every item of a reply's results with its expiration date at the top level. */
  static JsonObject shownIn(JsonObject reply) {
    JsonArray results = reply.getJsonArray(Fields.RESULTS);
    if (results != null) {
      for (int i = 0; i < results.size(); i++) {
        shown(results.getJsonObject(i));
      }
    }
    return reply;
  }

  /** One item with its expiration date moved from its metadata to its top level. */
  static JsonObject shown(JsonObject item) {
    if (item == null) {
      return null;
    }
    JsonObject metadata = item.getJsonObject(Fields.METADATA);
    if (metadata != null && metadata.containsKey(Fields.EXPIRATION_DATE)) {
      item.put(Fields.EXPIRATION_DATE, metadata.remove(Fields.EXPIRATION_DATE));
    }
    return item;
  }
}
