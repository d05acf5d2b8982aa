package dev.memgate.gateway.fuzz;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every answer must be, whatever was asked: never a 5xx, never an internal error, never a stack trace; a REST
 * refusal is problem+json with status, code and detail; an MCP answer is JSON-RPC. Each check returns the problems
 * it found, worded as a finding ("status 500", "4xx not problem+json: text/plain"), empty when the answer is fine.
 */
final class Oracle {
  /** A tab-indented frame, "SomethingException:", a qualified exception class, or a frame of a JVM package. */
  private static final Pattern STACK_TRACE = Pattern.compile(
    "\tat |\\bat [\\w$]+(?:\\.[\\w$<>]+)+\\((?:[\\w$]+\\.java:\\d+|Native Method|Unknown Source)\\)"
      + "|\\b[A-Z][\\w$]*(?:Exception|Error):"
      + "|\\b(?:[a-z_][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b"
      + "|\\b(?:java|javax|jdk|sun|io\\.vertx|io\\.netty|com\\.fasterxml|org\\.apache|dev\\.memgate)"
      + "\\.[a-z][\\w$]*\\.");
  static final int INTERNAL_ERROR = -32603;

  private Oracle() {
  }

  /** The first stack-trace-like piece of {@code text}, or null. */
  static String stackTrace(String text) {
    Matcher matcher = STACK_TRACE.matcher(text);
    return matcher.find() ? matcher.group() : null;
  }

  /** A REST answer. */
  static List<String> rest(HttpCase request, HttpAnswer answer) {
    List<String> problems = new ArrayList<>();
    if (answer.status() == 0 && request.answerOptional()) {
      return problems;
    }
    if (answer.failure() != null) {
      problems.add("no complete answer (" + answer.failure().replaceAll(":.*", "") + ")");
      if (answer.status() == 0) {
        return problems;
      }
    }
    int status = answer.status();
    if (status >= 500) {
      problems.add("status " + status);
    }
    String trace = stackTrace(answer.text());
    if (trace != null) {
      problems.add("stack trace in the body");
    }
    if (status >= 400 && !request.head()) {
      problems.addAll(problemJson(answer));
    }
    if (status >= 200 && status < 300 && request.aim() == HttpCase.Aim.PROTECTED) {
      problems.add("accepted a write that breaks a rule (status " + status + ")");
    }
    return problems;
  }

  private static List<String> problemJson(HttpAnswer answer) {
    if (!answer.contentType().startsWith("application/problem+json")) {
      String type = answer.header("content-type");
      return List.of(answer.status() + " not problem+json (" + (type == null ? "no content-type" : type) + ")");
    }
    JsonObject problem;
    try {
      problem = new JsonObject(answer.text());
    } catch (DecodeException | ClassCastException e) {
      return List.of("problem+json body is not a JSON object");
    }
    List<String> problems = new ArrayList<>();
    if (!(problem.getValue("status") instanceof Number number) || number.intValue() != answer.status()) {
      problems.add("problem+json status does not match the HTTP status");
    }
    if (!(problem.getValue("code") instanceof Number)) {
      problems.add("problem+json without a numeric code");
    }
    if (!(problem.getValue("detail") instanceof String)) {
      problems.add("problem+json without a detail");
    }
    return problems;
  }

  /** An HTTP answer from the MCP listener: a JSON-RPC error when refused, JSON-RPC (or an event stream) when not. */
  static List<String> mcpHttp(HttpAnswer answer, Collection<String> leakMarkers) {
    return mcpHttp(null, answer, leakMarkers);
  }

  /** As above, for an answer to {@code request} (null when there is no case: a HEAD has no body to check). */
  static List<String> mcpHttp(HttpCase request, HttpAnswer answer, Collection<String> leakMarkers) {
    List<String> problems = new ArrayList<>();
    if (request != null && answer.status() == 0 && request.answerOptional()) {
      return problems;
    }
    if (request != null && request.head()) {
      return answer.status() >= 500 ? List.of("status " + answer.status()) : problems;
    }
    if (answer.failure() != null) {
      problems.add("no complete answer (" + answer.failure().replaceAll(":.*", "") + ")");
      if (answer.status() == 0) {
        return problems;
      }
    }
    int status = answer.status();
    if (status >= 500) {
      problems.add("status " + status);
    }
    if (stackTrace(answer.text()) != null) {
      problems.add("stack trace in the body");
    }
    if (status >= 400) {
      JsonObject error = null;
      if (answer.contentType().startsWith("application/json")) {
        try {
          error = new JsonObject(answer.text());
        } catch (DecodeException | ClassCastException e) {
          // refused below
        }
      }
      if (error == null || !(error.getValue("error") instanceof JsonObject)) {
        String type = answer.header("content-type");
        problems.add(status + " not a JSON-RPC error (" + (type == null ? "no content-type" : type) + ")");
      } else {
        problems.addAll(jsonRpc(error.encode(), leakMarkers));
      }
    } else if (status == 200) {
      if (answer.contentType().startsWith("application/json")) {
        problems.addAll(jsonRpc(answer.text(), leakMarkers));
      } else if (answer.contentType().startsWith("text/event-stream")) {
        for (String data : eventData(answer.text())) {
          problems.addAll(jsonRpc(data, leakMarkers));
        }
      } else {
        problems.add("200 with content-type " + answer.header("content-type"));
      }
    }
    return problems;
  }

  /** The data of each complete event of an event stream (the first events, for a stream that stays open). */
  static List<String> eventData(String stream) {
    List<String> data = new ArrayList<>();
    for (String event : stream.split("\r?\n\r?\n")) {
      StringBuilder joined = new StringBuilder();
      boolean message = true;
      for (String line : event.split("\r?\n")) {
        if (line.startsWith("event:")) {
          message = line.substring(6).strip().equals("message");
        } else if (line.startsWith("data:")) {
          joined.append(joined.isEmpty() ? "" : "\n").append(line.substring(5).strip());
        }
      }
      if (message && !joined.isEmpty()) {
        data.add(joined.toString());
      }
    }
    return data;
  }

  /** One JSON-RPC message the server sent (an object, or a batch answer). */
  static List<String> jsonRpc(String text, Collection<String> leakMarkers) {
    List<String> problems = new ArrayList<>();
    if (stackTrace(text) != null) {
      problems.add("stack trace in a JSON-RPC message");
    }
    for (String marker : leakMarkers) {
      if (text.contains(marker)) {
        problems.add("an answer shows another user's memory");
        break;
      }
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(text);
    } catch (DecodeException e) {
      problems.add("a reply that is not JSON");
      return problems;
    }
    if (parsed instanceof JsonArray batch) {
      if (batch.isEmpty()) {
        problems.add("an empty batch reply");
      }
      for (Object item : batch) {
        problems.addAll(message(item));
      }
    } else {
      problems.addAll(message(parsed));
    }
    return problems;
  }

  private static List<String> message(Object item) {
    if (!(item instanceof JsonObject message)) {
      return List.of("a reply that is not a JSON-RPC object");
    }
    List<String> problems = new ArrayList<>();
    if (!"2.0".equals(message.getValue("jsonrpc"))) {
      problems.add("a reply without jsonrpc \"2.0\"");
    }
    Object error = message.getValue("error");
    Object result = message.getValue("result");
    if ((error == null) == (result == null)) {
      problems.add("a reply with neither or both of result and error");
    }
    if (error instanceof JsonObject e) {
      if (!(e.getValue("code") instanceof Number code)) {
        problems.add("a JSON-RPC error without a numeric code");
      } else if (code.intValue() == INTERNAL_ERROR) {
        problems.add("JSON-RPC internal error -32603");
      }
      if (!(e.getValue("message") instanceof String)) {
        problems.add("a JSON-RPC error without a message");
      }
    } else if (error != null) {
      problems.add("a JSON-RPC error that is not an object");
    }
    if (result instanceof JsonObject r && Boolean.TRUE.equals(r.getValue("isError"))) {
      String text = toolText(r);
      if (text.startsWith("Internal error")) {
        problems.add("a tool result saying Internal error");
      } else if (text.startsWith("Dependency")) {
        problems.add("a tool result saying a dependency failed");
      }
    }
    return problems;
  }

  /** The first text content of a tool result, or "". */
  static String toolText(JsonObject result) {
    if (result.getValue("content") instanceof JsonArray content && !content.isEmpty()
      && content.getValue(0) instanceof JsonObject first && first.getValue("text") instanceof String text) {
      return text;
    }
    return "";
  }

  /** The outcome of one JSON-RPC reply for the tallies: "result", "tool-error", or the error code. */
  static String outcome(String text) {
    try {
      Object parsed = Json.decodeValue(text);
      if (parsed instanceof JsonArray) {
        return "batch";
      }
      if (parsed instanceof JsonObject message) {
        if (message.getValue("error") instanceof JsonObject error) {
          return String.valueOf(error.getValue("code"));
        }
        if (message.getValue("result") instanceof JsonObject result
          && Boolean.TRUE.equals(result.getValue("isError"))) {
          return "tool-error";
        }
        return "result";
      }
    } catch (DecodeException e) {
      return "not-json";
    }
    return "other";
  }
}
