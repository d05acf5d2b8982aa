package dev.memgate.mcp.tools;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a tool's arguments against its input schema and, when they do not fit, says so in one sentence a model
 * can act on ("limit must be an integer", "unknown argument user_id; this tool takes query, limit"). Only the
 * shape is checked here; what the values may be (lengths, ranges, ids) is the memory service's to decide.
 */
final class ArgumentCheck {
  private static final Pattern EXPECTED_TYPE = Pattern.compile("Expected (\\w+)");

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

  /** Null when the arguments fit the schema, else what is wrong with them. */
  String problem(JsonObject arguments) {
    OutputUnit result = validator.validate(arguments);
    if (Boolean.TRUE.equals(result.getValid())) {
      return null;
    }
    List<OutputUnit> errors = result.getErrors() == null ? List.of() : result.getErrors();
    for (OutputUnit error : errors) {
      String explained = explain(error);
      if (explained != null) {
        return "Invalid arguments for " + tool + ": " + explained;
      }
    }
    return "Invalid arguments for " + tool + ": they do not match the tool's input schema";
  }

  /** One error in words, or null for the summary entries the validator adds around the real cause. */
  private String explain(OutputUnit error) {
    String keyword = error.getKeywordLocation() == null ? "" : error.getKeywordLocation();
    String where = argumentPath(error.getInstanceLocation());
    String text = error.getError() == null ? "" : error.getError();
    String last = keyword.substring(keyword.lastIndexOf('/') + 1);
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
      case "minimum" -> where + " must be at least " + bound(keyword, last);
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
    JsonObject node = schema;
    for (String part : keywordLocation.replaceFirst("^#/?", "").split("/")) {
      if (part.equals(keyword)) {
        return String.valueOf(node.getValue(keyword));
      }
      Object child = node.getValue(part);
      if (!(child instanceof JsonObject next)) {
        break;
      }
      node = next;
    }
    return "the allowed bound";
  }
}
