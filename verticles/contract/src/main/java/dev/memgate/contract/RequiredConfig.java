package dev.memgate.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;

/**
 * A verticle's configuration as the composition root hands it over: complete and already validated against
 * {@code conf/memgate.yaml}. A verticle reads every key it needs through this class, so that a key that is missing
 * (or of the wrong type) stops start-up with one line naming it, instead of a default written in the verticle that
 * can drift from the file's. Defaults live in one place, {@code conf/memgate.yaml}.
 *
 * <p>The few keys a verticle may genuinely go without (an API key that only some servers need, an LLM that is not
 * configured) are read with the {@code optional...} methods, which say so where they are called.
 */
public final class RequiredConfig {
  private final String owner;
  private final String path;
  private final JsonObject json;

  private RequiredConfig(String owner, String path, JsonObject json) {
    this.owner = owner;
    this.path = path;
    this.json = json;
  }

  /**
   * @param owner what the configuration is for, as errors name it ("graph verticle")
   * @param json  the configuration; null reads as empty (every required key then missing)
   */
  public static RequiredConfig of(String owner, JsonObject json) {
    return new RequiredConfig(owner, "", json == null ? new JsonObject() : json);
  }

  public String text(String key) {
    return cast(key, String.class, "text");
  }

  public int integer(String key) {
    Number number = cast(key, Number.class, "a whole number");
    if (!isWhole(number) || number.longValue() != number.intValue()) {
      throw wrongType(key, "a whole number");
    }
    return number.intValue();
  }

  public long longInteger(String key) {
    Number number = cast(key, Number.class, "a whole number");
    if (!isWhole(number)) {
      throw wrongType(key, "a whole number");
    }
    return number.longValue();
  }

  public double decimal(String key) {
    return cast(key, Number.class, "a number").doubleValue();
  }

  public boolean flag(String key) {
    return cast(key, Boolean.class, "true or false");
  }

  /** A JSON array of strings. */
  public List<String> texts(String key) {
    JsonArray array = cast(key, JsonArray.class, "a list of strings");
    for (Object item : array) {
      if (!(item instanceof String)) {
        throw wrongType(key, "a list of strings");
      }
    }
    return array.stream().map(String.class::cast).toList();
  }

  /** A JSON object taken as it is (a schema, a view for display): its content is not configuration. */
  public JsonObject object(String key) {
    return cast(key, JsonObject.class, "an object");
  }

  /** A nested group of keys; errors name them with their path ({@code limits.max_text_chars}). */
  public RequiredConfig section(String key) {
    return new RequiredConfig(owner, name(key) + ".", cast(key, JsonObject.class, "an object"));
  }

  /**
   * The raw JSON of this group, after checking that each of {@code keys} is present and a whole number; for a
   * reader that lives where this class is not available.
   */
  public JsonObject withIntegers(List<String> keys) {
    keys.forEach(this::longInteger);
    return json;
  }

  /** A key the verticle may go without; empty when absent. */
  public Optional<String> optionalText(String key) {
    return json.containsKey(key) ? Optional.of(text(key)) : Optional.empty();
  }

  /** A whole number the verticle may go without; empty when absent. */
  public Optional<Long> optionalLongInteger(String key) {
    return json.containsKey(key) ? Optional.of(longInteger(key)) : Optional.empty();
  }

  /** A group the verticle may go without (a part of the service that is off); empty when absent. */
  public Optional<RequiredConfig> optionalSection(String key) {
    return json.containsKey(key) ? Optional.of(section(key)) : Optional.empty();
  }

  private <T> T cast(String key, Class<T> type, String expected) {
    Object value = json.getValue(key);
    if (value == null) {
      throw new ConfigKeyException(owner, name(key), "is missing");
    }
    if (!type.isInstance(value)) {
      throw wrongType(key, expected);
    }
    return type.cast(value);
  }

  private ConfigKeyException wrongType(String key, String expected) {
    return new ConfigKeyException(owner, name(key), "must be " + expected);
  }

  private String name(String key) {
    return path + key;
  }

  private static boolean isWhole(Number number) {
    return !(number instanceof Double || number instanceof Float) || number.doubleValue() == Math.rint(
      number.doubleValue());
  }
}
