package dev.memgate.memory;

import dev.memgate.contract.BusFailure;
import dev.memgate.contract.BusFailureException;
import dev.memgate.contract.Fields;
import dev.memgate.contract.Scope;
import dev.memgate.contract.Storable;
import dev.memgate.contract.Timestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rules every request to the memory service obeys, whichever edge it came through (HTTP or MCP). A broken
 * rule is a {@link BusFailureException} naming the field, thrown before anything is written.
 */
public final class RequestRules {
  /** Deepest nesting metadata may have (objects and arrays inside metadata's own object). */
  static final int MAX_METADATA_DEPTH = 32;
  private static final Set<String> ROLES = Set.of("user", "assistant", "system", "tool");
  /** 9999-12-31T23:59:59Z: the last instant every store writes as a four-digit year. */
  private static final long LATEST_TIMESTAMP = 253_402_300_799L;

  private final Limits limits;

  public RequestRules(Limits limits) {
    this.limits = limits;
  }

  public Limits limits() {
    return limits;
  }

  /** At least one of user_id, agent_id, run_id; each a short, clean, non-empty string. */
  public Scope requireScope(JsonObject body) {
    Scope scope = optionalScope(body);
    if (scope.isEmpty()) {
      throw bad(Fields.USER_ID, "one of user_id, agent_id or run_id is required");
    }
    return scope;
  }

  public Scope optionalScope(JsonObject body) {
    return new Scope(id(body, Fields.USER_ID), id(body, Fields.AGENT_ID), id(body, Fields.RUN_ID));
  }

  private String id(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw bad(field, field + " must be a string");
    }
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      throw bad(field, field + " must not be empty");
    }
    if (trimmed.length() > limits.maxIdChars()) {
      throw bad(field, field + " is longer than " + limits.maxIdChars() + " characters");
    }
    cleanText(field, trimmed, true);
    return trimmed;
  }

  /** mem0 accepts a plain string (one user message) or a list of {role, content, name?} objects. */
  public List<ChatMessage> messages(Object raw) {
    if (raw instanceof String text) {
      return List.of(new ChatMessage("user", text(Fields.MESSAGES, text), null));
    }
    if (raw instanceof JsonObject single) {
      return List.of(message(single, Fields.MESSAGES));
    }
    if (!(raw instanceof JsonArray list)) {
      throw bad(Fields.MESSAGES, "messages must be a string or a list of {role, content} objects");
    }
    if (list.isEmpty()) {
      throw bad(Fields.MESSAGES, "messages must not be empty");
    }
    if (list.size() > limits.maxMessages()) {
      throw bad(Fields.MESSAGES, "at most " + limits.maxMessages() + " messages per request");
    }
    List<ChatMessage> messages = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      String path = Fields.MESSAGES + "[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject item)) {
        throw bad(path, path + " must be an object with role and content");
      }
      messages.add(message(item, path));
    }
    return messages;
  }

  private ChatMessage message(JsonObject item, String path) {
    Object role = item.getValue("role", "user");
    if (!(role instanceof String r) || !ROLES.contains(r)) {
      throw bad(path + ".role", path + ".role must be one of " + String.join(", ", ROLES.stream().sorted().toList()));
    }
    String content = content(item.getValue("content"), path + ".content");
    Object name = item.getValue("name");
    if (name != null && !(name instanceof String)) {
      throw bad(path + ".name", path + ".name must be a string");
    }
    String actor = name == null || ((String) name).isBlank() ? null : ((String) name).strip();
    if (actor != null) {
      if (actor.length() > limits.maxIdChars()) {
        throw bad(path + ".name", path + ".name is longer than " + limits.maxIdChars() + " characters");
      }
      cleanText(path + ".name", actor, true);
    }
    return new ChatMessage((String) role, content, actor);
  }

  /** Content is text, or OpenAI-style parts of which only text parts can be remembered without a vision model. */
  private String content(Object raw, String path) {
    if (raw instanceof String text) {
      return text(path, text);
    }
    if (raw instanceof JsonArray parts && !parts.isEmpty()) {
      StringBuilder joined = new StringBuilder();
      for (int i = 0; i < parts.size(); i++) {
        String partPath = path + "[" + i + "]";
        if (!(parts.getValue(i) instanceof JsonObject part) || !"text".equals(part.getValue("type"))
          || !(part.getValue("text") instanceof String partText)) {
          throw new BusFailure(dev.memgate.contract.BusError.UNPROCESSABLE, partPath
            + " is not a text part; only {\"type\":\"text\",\"text\":...} parts can be remembered", partPath, null)
            .toException();
        }
        if (!joined.isEmpty()) {
          joined.append('\n');
        }
        joined.append(partText);
      }
      return text(path, joined.toString());
    }
    throw bad(path, path + " must be a non-empty string");
  }

  /** A memory text: non-blank, within the size limit, valid Unicode. */
  public String text(String field, String text) {
    String stripped = text.strip();
    if (stripped.isEmpty()) {
      throw bad(field, field + " must not be empty");
    }
    if (stripped.length() > limits.maxTextChars()) {
      throw bad(field, field + " is longer than " + limits.maxTextChars() + " characters");
    }
    cleanText(field, stripped, false);
    return stripped;
  }

  public String query(Object raw) {
    if (!(raw instanceof String text) || text.isBlank()) {
      throw bad(Fields.QUERY, "query must be a non-empty string");
    }
    if (text.length() > limits.maxQueryChars()) {
      throw bad(Fields.QUERY, "query is longer than " + limits.maxQueryChars() + " characters");
    }
    cleanText(Fields.QUERY, text, false);
    return text.strip();
  }

  /** Caller's metadata: a JSON object, small, without the names a memory item uses at its top level. */
  public JsonObject metadata(Object raw, boolean nullValuesAllowed) {
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof JsonObject metadata)) {
      throw bad(Fields.METADATA, "metadata must be an object");
    }
    for (String key : metadata.fieldNames()) {
      if (Fields.RESERVED.contains(key)) {
        throw bad(Fields.METADATA + "." + key, "metadata." + key + " is reserved: " + key
          + " is a field of every memory");
      }
      if (key.isBlank()) {
        throw bad(Fields.METADATA, "metadata keys must not be empty");
      }
      cleanText(Fields.METADATA + "." + key, key, true);
      if (!nullValuesAllowed && metadata.getValue(key) == null) {
        throw bad(Fields.METADATA + "." + key, "metadata." + key + " must not be null");
      }
      storableValue(Fields.METADATA + "." + key, metadata.getValue(key), 1);
    }
    if (metadata.encode().getBytes(StandardCharsets.UTF_8).length > limits.maxMetadataBytes()) {
      throw bad(Fields.METADATA, "metadata is larger than " + limits.maxMetadataBytes() + " bytes");
    }
    return metadata;
  }

  /**
   * Metadata is kept as given, so every nested key and value must be storable too; nesting is bounded, because
   * encoding and copying are recursive and a thousand levels would overflow the thread's stack.
   */
  private static void storableValue(String path, Object value, int depth) {
    if ((value instanceof JsonObject || value instanceof JsonArray) && depth > MAX_METADATA_DEPTH) {
      throw bad(Fields.METADATA, "metadata nests deeper than " + MAX_METADATA_DEPTH + " levels");
    }
    if (value instanceof String text) {
      cleanText(path, text, false);
    } else if (value instanceof Number number && !Storable.isFinite(number)) {
      throw bad(path, path + " is too large a number");
    } else if (value instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        cleanText(path + "." + key, key, true);
        storableValue(path + "." + key, object.getValue(key), depth + 1);
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        storableValue(path + "[" + i + "]", array.getValue(i), depth + 1);
      }
    }
  }

  /** {@code limit}, or mem0's newer {@code top_k}: a whole number from 1 to the configured maximum. */
  public int limit(JsonObject body, int fallback) {
    Object raw = body.containsKey(Fields.LIMIT) ? body.getValue(Fields.LIMIT) : body.getValue("top_k");
    String field = body.containsKey(Fields.LIMIT) ? Fields.LIMIT : "top_k";
    if (raw == null) {
      return fallback;
    }
    if (!(raw instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw bad(field, field + " must be a whole number");
    }
    long value = n.longValue();
    if (value < 1 || value > limits.maxLimit()) {
      throw bad(field, field + " must be between 1 and " + limits.maxLimit());
    }
    return (int) value;
  }

  public Double threshold(Object raw) {
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 1) {
      throw bad(Fields.THRESHOLD, "threshold must be a number from 0 to 1");
    }
    return n.doubleValue();
  }

  /**
   * An add's {@code timestamp}: when the memories happened, as Unix seconds (mem0 platform's form) or an ISO-8601
   * date-time with an offset. Returned as the created_at to store, or null when absent (then it is now).
   */
  public String timestamp(Object raw) {
    if (raw == null) {
      return null;
    }
    Instant instant;
    if (raw instanceof Number n && Storable.isFinite(n)) {
      double seconds = n.doubleValue();
      if (seconds < 0 || seconds > LATEST_TIMESTAMP) {
        throw bad(Fields.TIMESTAMP, "timestamp must be between 0 and " + LATEST_TIMESTAMP + " (Unix seconds)");
      }
      instant = Instant.ofEpochMilli(Math.round(seconds * 1000));
    } else if (raw instanceof String text) {
      try {
        instant = OffsetDateTime.parse(text.strip()).toInstant();
      } catch (DateTimeParseException e) {
        throw bad(Fields.TIMESTAMP, "timestamp must be Unix seconds or an ISO-8601 date-time with an offset, such "
          + "as 2023-05-08T13:56:00Z");
      }
      if (instant.getEpochSecond() < 0 || instant.getEpochSecond() > LATEST_TIMESTAMP) {
        throw bad(Fields.TIMESTAMP, "timestamp must be between 1970 and 9999");
      }
    } else {
      throw bad(Fields.TIMESTAMP, "timestamp must be Unix seconds or an ISO-8601 date-time string");
    }
    return Timestamps.format(instant);
  }

  public String memoryId(Object raw) {
    if (!(raw instanceof String id) || id.isBlank()) {
      throw bad(Fields.MEMORY_ID, "memory_id must be a non-empty string");
    }
    if (id.length() > limits.maxIdChars()) {
      throw BusFailure.notFound("no memory with id " + id.substring(0, 40) + "...").toException();
    }
    if (Storable.textDefect(id, true) != null) {
      // No store could hold such an id (PostgreSQL refuses a NUL outright), so no memory has it.
      throw BusFailure.notFound("no memory has an id with a control character or an unpaired surrogate")
        .toException();
    }
    return id;
  }

  /** Refuses text that not every store can keep exactly as given (see {@link Storable}). */
  private static void cleanText(String field, String text, boolean identifier) {
    String defect = Storable.textDefect(text, identifier);
    if (defect != null) {
      throw bad(field, field + " " + defect);
    }
  }

  public static BusFailureException bad(String field, String detail) {
    return BusFailure.badInput(field, detail).toException();
  }
}
