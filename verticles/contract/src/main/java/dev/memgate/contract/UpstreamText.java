package dev.memgate.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns text that came from outside (a provider's error body, a driver's exception message) into what may be shown
 * to a client or written to the log. Providers repeat what they were sent (some answer a 401 with the API key and
 * the Authorization header in the body) and drivers put connection strings in their messages, so such text is
 * never relayed as it is: it is summarised (one line, about {@value #MAX_CHARS} characters; for a JSON error body,
 * the provider's error type, code and message) and every credential in it becomes {@value #HIDDEN}:
 * <ul>
 *   <li>the configured secrets themselves, registered with {@link #hide} when a verticle starts, wherever they
 *   appear and whatever they look like;</li>
 *   <li>{@code Bearer}, {@code Token} and {@code Basic} credentials;</li>
 *   <li>keys of well-known shapes: {@code sk-...} (OpenAI, Anthropic {@code sk-ant-}, {@code sk-proj-}), GitHub
 *   {@code ghp_...}/{@code github_pat_...}, Slack {@code xox?-...}, AWS {@code AKIA...}, Google {@code AIza...},
 *   Hugging Face {@code hf_...}, Groq {@code gsk_...};</li>
 *   <li>values of {@code api_key=}, {@code apikey:}, {@code token=}, {@code password=}, {@code secret=},
 *   {@code authorization:} and the like, in query strings, headers and JSON alike;</li>
 *   <li>the password of a URL's user information ({@code scheme://user:***@host});</li>
 *   <li>JSON Web Tokens;</li>
 *   <li>long random-looking tokens: 32 or more letters, digits, {@code -} and {@code _} with a stretch of 16 or
 *   more that mixes letters and digits (UUIDs, long numbers and hyphenated model names stay).</li>
 * </ul>
 * Ordinary text passes unchanged. Used by the remote providers, the graph store and, as a last net, by
 * {@link BusFailure} for every failure that blames a dependency.
 */
public final class UpstreamText {
  /** What a credential is replaced by. */
  public static final String HIDDEN = "***";
  /** The longest summary, in characters. */
  public static final int MAX_CHARS = 200;
  /** Shorter configured values are not hidden by value: they would blank ordinary words. */
  static final int MIN_SECRET_CHARS = 6;
  /** Bodies are cut to this before they are read: a provider may answer megabytes of HTML. */
  private static final int MAX_READ_CHARS = 8_192;

  private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
  private static volatile List<String> byLength = List.of();

  private static final Pattern URL_PASSWORD = Pattern.compile(
    "(?i)\\b([a-z][a-z0-9+.-]*://[^\\s/:@]*):([^\\s/@]+)@");
  private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
  private static final Pattern BEARER_OR_TOKEN = Pattern.compile(
    "(?i)\\b(Bearer|Token)(\\s+)([A-Za-z0-9._~+/=-]{8,})");
  private static final Pattern BASIC = Pattern.compile("(?i)\\b(Basic)(\\s+)([A-Za-z0-9+/]{4,}={0,2})");
  private static final Pattern KEY_SHAPES = Pattern.compile(
    "\\b(?:sk-[A-Za-z0-9_-]{8,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"
      + "|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,}|hf_[A-Za-z0-9]{20,}"
      + "|gsk_[A-Za-z0-9]{20,})");
  private static final Pattern KEY_VALUE = Pattern.compile(
    "(?i)([\"']?\\b(?:x-api-key|api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|auth[_-]?token|id[_-]?token"
      + "|token|client[_-]?secret|secret|password|passwd|pwd|authorization)\\b[\"']?\\s*[:=]\\s*[\"']?)"
      + "(?!(?:Bearer|Basic|Token)\\s)(?!\\*\\*\\*)([^\\s\"'&,;}\\]]+)");
  private static final Pattern LONG_TOKEN = Pattern.compile("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])");
  private static final Pattern TAG = Pattern.compile("(?is)<(script|style)\\b.*?</\\1>|<[^>]*>");
  private static final Pattern SPACE = Pattern.compile("[\\s\\p{Cntrl}]+");

  private UpstreamText() {
  }

  /**
   * Hides a configured secret (an API key, a password) wherever it appears from now on, in this process. Blank
   * values and values shorter than {@value #MIN_SECRET_CHARS} characters are ignored.
   */
  public static void hide(String secret) {
    if (secret == null || secret.strip().length() < MIN_SECRET_CHARS) {
      return;
    }
    String value = secret.strip();
    boolean added = SECRETS.add(value);
    // The forms a provider may echo it in: URL-encoded (either way for spaces) and JSON-escaped.
    String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
    added |= SECRETS.add(encoded);
    added |= SECRETS.add(encoded.replace("+", "%20"));
    String json = new JsonArray().add(value).encode();
    added |= SECRETS.add(json.substring(2, json.length() - 2));
    if (added) {
      synchronized (SECRETS) {
        byLength = SECRETS.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
      }
    }
  }

  /** The text with every credential replaced by {@value #HIDDEN}, otherwise unchanged; null stays null. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : byLength) {
      out = out.replace(secret, HIDDEN);
    }
    out = URL_PASSWORD.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + HIDDEN + "@"));
    out = JWT.matcher(out).replaceAll(HIDDEN);
    out = replace(out, BEARER_OR_TOKEN, m -> looksLikeACredential(m.group(3))
      ? m.group(1) + m.group(2) + HIDDEN : m.group());
    out = replace(out, BASIC, m -> isBasicCredential(m.group(3)) ? m.group(1) + m.group(2) + HIDDEN : m.group());
    out = KEY_SHAPES.matcher(out).replaceAll(HIDDEN);
    out = replace(out, KEY_VALUE, m -> m.group(1) + HIDDEN);
    out = replace(out, LONG_TOKEN, m -> looksRandom(m.group()) ? HIDDEN : m.group());
    return out;
  }

  /** Any text from outside (an exception's message) as it may be shown: one line, clipped, without credentials. */
  public static String summary(String text) {
    if (text == null) {
      return "";
    }
    String head = text.length() > MAX_READ_CHARS ? text.substring(0, MAX_READ_CHARS) : text;
    return clip(redact(oneLine(head)));
  }

  /**
   * A provider's error body as it may be shown. A JSON body is reduced to the provider's error type, code, param
   * and message ({@code {"error":{...}}}, {@code {"error":"..."}}, {@code {"type":"error","error":{...}}} and
   * {@code {"message"|"detail"|"title":...}} shapes); an HTML page to its text; anything else is taken as text.
   */
  public static String ofBody(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String head = body.length() > MAX_READ_CHARS ? body.substring(0, MAX_READ_CHARS) : body;
    String stripped = head.strip();
    if (stripped.startsWith("{")) {
      String fields = jsonError(stripped);
      if (fields != null) {
        return summary(fields);
      }
    } else if (stripped.startsWith("<")) {
      return summary(TAG.matcher(stripped).replaceAll(" "));
    }
    return summary(stripped);
  }

  /** "type (code, param): message" of a JSON error body, or null when it has none of those fields. */
  private static String jsonError(String text) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (RuntimeException notJson) {
      return null;
    }
    Object error = json.getValue("error");
    JsonObject fields = error instanceof JsonObject nested ? nested : json;
    String message = error instanceof String plain ? plain
      : firstText(fields, "message", "detail", "error_description", "title", "msg");
    String type = firstText(fields, "type");
    if ("error".equals(type)) {
      type = null;
    }
    List<String> details = new ArrayList<>();
    for (String name : List.of("code", "param")) {
      String value = firstText(fields, name);
      if (value != null) {
        details.add(name + " " + value);
      }
    }
    String label = type == null ? String.join(", ", details)
      : details.isEmpty() ? type : type + " (" + String.join(", ", details) + ")";
    if (message == null) {
      return label.isEmpty() ? null : label;
    }
    return label.isEmpty() ? message : label + ": " + message;
  }

  private static String firstText(JsonObject json, String... names) {
    for (String name : names) {
      Object value = json.getValue(name);
      if (value instanceof String text && !text.isBlank()) {
        return text;
      }
      if (value instanceof Number number) {
        return number.toString();
      }
    }
    return null;
  }

  private static String oneLine(String text) {
    return SPACE.matcher(text).replaceAll(" ").strip();
  }

  private static String clip(String line) {
    return line.length() <= MAX_CHARS ? line : line.substring(0, MAX_CHARS - 3) + "...";
  }

  /** Eight or more characters that are not a plain lower-case word ("Bearer authentication" is prose). */
  private static boolean looksLikeACredential(String value) {
    return !value.chars().allMatch(c -> c >= 'a' && c <= 'z');
  }

  /** A stretch of 16 or more letters and digits, mixing both: what random keys have and words, UUIDs lack. */
  private static boolean looksRandom(String token) {
    for (String stretch : token.split("[-_]")) {
      if (stretch.length() >= 16 && stretch.chars().anyMatch(Character::isDigit)
        && stretch.chars().anyMatch(Character::isLetter)) {
        return true;
      }
    }
    return false;
  }

  /** Base64 of "user:password". */
  private static boolean isBasicCredential(String value) {
    try {
      return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8).contains(":");
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
  }

  private static String replace(String text, Pattern pattern, Function<MatchResult, String> replacement) {
    return pattern.matcher(text).replaceAll(m -> Matcher.quoteReplacement(replacement.apply(m)));
  }
}
