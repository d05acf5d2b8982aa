package dev.memgate.mcp.tools;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a tool's arguments against its input schema and, when they do not fit, says so in one sentence a model
 * can act on ("limit must be an integer", "unknown argument user_id; this tool takes query, limit"). Only the
 * shape is checked here; what the values may be (lengths, ranges, ids) is the memory service's to decide, even where
 * the schema declares it.
 */
final class ArgumentCheck {
  private static final Pattern EXPECTED_TYPE = Pattern.compile("Expected (\\w+)");
  /**
   * The schemas declare the memory service's limits (lengths, the largest limit) so that a model sees them; the
   * service enforces them, in the same words as for REST, so they are not refused twice here.
   */
  private static final Set<String> SERVICE_LIMITS = Set.of("maxLength", "minimum", "maximum");

  private final String tool;
  private final JsonObject schema;
  private final Validator validator;

  ArgumentCheck(String tool, JsonObject schema) {
    this.tool = tool;
    this.schema = schema;
    this.validator = Validator.create(JsonSchema.of(schema.copy()), new JsonSchemaOptions()
      .setDraft(Draft.DRAFT202012)
      .setBaseUri("https://memgate.dev/mcp/tools/" + tool)
      .setOutputFormat(OutputFormat.Basic));
  }

  /** Null when the arguments fit the schema (but for the service's own limits), else what is wrong with them. */
  String problem(JsonObject arguments) {
    OutputUnit result = validator.validate(arguments);
    if (Boolean.TRUE.equals(result.getValid())) {
      return null;
    }
    List<OutputUnit> errors = result.getErrors() == null ? List.of() : result.getErrors();
    boolean beyondLimit = false;
    for (OutputUnit error : errors) {
      if (SERVICE_LIMITS.contains(keywordOf(error))) {
        beyondLimit = true;
        continue;
      }
      String explained = explain(error);
      if (explained != null) {
        return "Invalid arguments for " + tool + ": " + explained;
      }
    }
    return beyondLimit ? null : "Invalid arguments for " + tool + ": they do not match the tool's input schema";
  }

  private static String keywordOf(OutputUnit error) {
    String keyword = error.getKeywordLocation() == null ? "" : error.getKeywordLocation();
    return keyword.substring(keyword.lastIndexOf('/') + 1);
  }

  /** One error in words, or null for the summary entries the validator adds around the real cause. */
  private String explain(OutputUnit error) {
    String keyword = error.getKeywordLocation() == null ? "" : error.getKeywordLocation();
    String where = argumentPath(error.getInstanceLocation());
    String text = error.getError() == null ? "" : error.getError();
    String last = keywordOf(error);
    return switch (last) {
      case "additionalProperties" -> declared(where) ? null : "unknown argument " + where + "; this tool takes "
        + (properties().isEmpty() ? "no arguments" : String.join(", ", properties().fieldNames()));
      case "required" -> {
        Matcher name = Pattern.compile("\"([^\"]+)\"").matcher(text);
        yield "missing required argument " + (name.find() ? name.group(1) : "");
      }
      case "type" -> {
        Matcher expected = EXPECTED_TYPE.matcher(text);
        yield (where.isEmpty() ? "arguments" : where) + " must be " + article(expected.find() ? expected.group(1)
          : "of another type");
      }
      case "minLength" -> where + " must not be empty";
      case "minItems" -> where + " must list at least " + bound(keyword, last) + " item(s)";
      case "maxItems" -> where + " may list at most " + bound(keyword, last) + " items";
      case "enum" -> where + " is not one of the allowed values";
      case "properties", "items" -> null;
      default -> (where.isEmpty() ? "" : where + ": ") + text;
    };
  }

  private JsonObject properties() {
    return schema.getJsonObject("properties", new JsonObject());
  }

  private boolean declared(String argument) {
    return properties().containsKey(argument);
  }

  /** "#/memory_ids/0" becomes "memory_ids[0]". */
  private static String argumentPath(String instanceLocation) {
    String location = instanceLocation == null ? "" : instanceLocation.replaceFirst("^#/?", "");
    StringBuilder path = new StringBuilder();
    for (String part : location.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.chars().allMatch(Character::isDigit)) {
        path.append('[').append(part).append(']');
      } else {
        path.append(path.isEmpty() ? "" : ".").append(part.replace("~1", "/").replace("~0", "~"));
      }
    }
    return path.toString();
  }

  private static String article(String type) {
    return switch (type) {
      case "integer", "array", "object" -> "an " + type;
      default -> "a " + type;
    };
  }

  /** The bound as the schema states it (the validator's own wording of some bounds is garbled). */
  private String bound(String keywordLocation, String keyword) {
    JsonObject node = declaring(keywordLocation);
    return node != null && node.containsKey(keyword) ? String.valueOf(node.getValue(keyword)) : "the allowed bound";
  }

  /** The schema node that holds the keyword at this location, or null when the location leads nowhere. */
  private JsonObject declaring(String keywordLocation) {
    String[] parts = keywordLocation.replaceFirst("^#/?", "").split("/");
    JsonObject node = schema;
    for (int i = 0; i < parts.length - 1; i++) {
      if (!(node.getValue(parts[i]) instanceof JsonObject next)) {
        return null;
      }
      node = next;
    }
    return node;
  }
}
