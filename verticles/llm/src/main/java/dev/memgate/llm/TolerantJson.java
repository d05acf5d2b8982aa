package dev.memgate.llm;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the JSON in a model's text reply when the provider could not enforce it: a reasoning block
 * ({@code <think>...</think>}), code fences, prose before or after, and trailing commas are tolerated; the first
 * complete top-level object (or array) is taken. A reply with no complete JSON value is an {@link Unreadable}, so
 * that a caller can never mistake a broken reply for "nothing to remember".
 */
public final class TolerantJson {
  private static final Pattern THINKING = Pattern.compile("(?is)<think(?:ing)?>.*?</think(?:ing)?>");
  private static final Pattern FENCE = Pattern.compile("(?s)```[a-zA-Z0-9_-]*\\s*\\n?(.*?)```");

  private TolerantJson() {
  }

  /** The reply could not be read as JSON; the message says why, with a short excerpt. */
  public static final class Unreadable extends Exception {
    public Unreadable(String message) {
      super(message, null, false, false);
    }
  }

  /** A {@link JsonObject} or a {@link JsonArray}. */
  public static Object read(String reply) throws Unreadable {
    if (reply == null || reply.isBlank()) {
      throw new Unreadable("the model's reply was empty");
    }
    String text = THINKING.matcher(reply.replace("\uFEFF", "")).replaceAll("").strip();
    Object direct = parse(text);
    if (direct != null) {
      return direct;
    }
    Matcher fenced = FENCE.matcher(text);
    while (fenced.find()) {
      Object inFence = extract(fenced.group(1));
      if (inFence != null) {
        return inFence;
      }
    }
    Object found = extract(text);
    if (found != null) {
      return found;
    }
    throw new Unreadable("the model's reply could not be read as JSON: " + excerpt(reply));
  }

  /** Like {@link #read} but requires an object. */
  public static JsonObject readObject(String reply) throws Unreadable {
    Object value = read(reply);
    if (value instanceof JsonObject object) {
      return object;
    }
    throw new Unreadable("the model's reply is a JSON array where an object was asked for: " + excerpt(reply));
  }

  private static Object extract(String text) {
    int start = firstOpening(text);
    while (start >= 0) {
      int end = matchingClose(text, start);
      if (end < 0) {
        return null;
      }
      Object value = parse(withoutTrailingCommas(text.substring(start, end + 1)));
      if (value != null) {
        return value;
      }
      start = firstOpening(text, end + 1);
    }
    return null;
  }

  private static int firstOpening(String text) {
    return firstOpening(text, 0);
  }

  private static int firstOpening(String text, int from) {
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{' || c == '[') {
        return i;
      }
    }
    return -1;
  }

  /** The index of the bracket closing the one at {@code start}, skipping strings; -1 when the text ends first. */
  private static int matchingClose(String text, int start) {
    int depth = 0;
    boolean inString = false;
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      switch (c) {
        case '"' -> inString = true;
        case '{', '[' -> depth++;
        case '}', ']' -> {
          depth--;
          if (depth == 0) {
            return i;
          }
        }
        default -> {
        }
      }
    }
    return -1;
  }

  /** Removes commas that directly precede a closing bracket, outside strings. */
  static String withoutTrailingCommas(String json) {
    StringBuilder out = new StringBuilder(json.length());
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        out.append(c);
        if (c == '\\' && i + 1 < json.length()) {
          out.append(json.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      if (c == '"') {
        inString = true;
      } else if (c == ',') {
        int next = i + 1;
        while (next < json.length() && Character.isWhitespace(json.charAt(next))) {
          next++;
        }
        if (next < json.length() && (json.charAt(next) == '}' || json.charAt(next) == ']')) {
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  private static Object parse(String text) {
    if (text.isEmpty() || (text.charAt(0) != '{' && text.charAt(0) != '[')) {
      return null;
    }
    try {
      Object value = Json.decodeValue(text);
      return value instanceof JsonObject || value instanceof JsonArray ? value : null;
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  static String excerpt(String text) {
    String line = text.replaceAll("\\s+", " ").strip();
    return line.length() <= 200 ? "\"" + line + "\"" : "\"" + line.substring(0, 200) + "...\"";
  }
}
