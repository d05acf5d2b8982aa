package dev.memgate.gateway.http;

import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.BusFailureException;
import dev.memgate.edge.RefusalLog;
import dev.memgate.edge.UnreadableRequest;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every failure leaves the HTTP edge as RFC 9457 problem details ({@code application/problem+json}) with a stable
 * {@code code}, the {@code field} at fault when there is one, and never a stack trace.
 */
public final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  private static final String CONTENT_TYPE = "application/problem+json";
  private static final Pattern PARAMETER = Pattern.compile("(?:query|path|header|cookie) parameter (\\S+?)[ .]");
  private static final Pattern REQUIRED = Pattern.compile("required property \"([^\"]+)\"");
  private static final Map<Integer, String> TITLES = Map.ofEntries(
    Map.entry(400, "Invalid request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
    Map.entry(404, "Not found"), Map.entry(405, "Method not allowed"), Map.entry(406, "Not acceptable"),
    Map.entry(408, "Request timeout"), Map.entry(413, "Payload too large"), Map.entry(414, "URI too long"),
    Map.entry(415, "Unsupported media type"), Map.entry(417, "Expectation failed"),
    Map.entry(422, "Unprocessable request"), Map.entry(429, "Too many requests"), Map.entry(431, "Request header fields too large"),
    Map.entry(500, "Internal error"), Map.entry(503, "Service unavailable"), Map.entry(504, "Gateway timeout"));

  /**
   * Set on a request when its body starts being read, and once it is read (or it has none): a failure between the
   * two is the client's broken framing.
   */
  static final String READING_BODY = "memgate.reading-body";
  static final String BODY_READ = "memgate.body-read";

  private Problems() {
  }

  /**
   * The root failure handler: maps whatever failed to a problem reply. Only a failure of our own is logged with its
   * trace; whatever a client caused (a broken body, a connection it closed) is at most one refusal line.
   */
  public static void handle(RoutingContext rc) {
    Throwable failure = rc.failure();
    if (rc.response().headWritten()) {
      rc.response().reset();
      return;
    }
    if (failure instanceof HttpClosedException || failure instanceof StreamResetException) {
      // The client went away: nobody is left to answer, and nothing is wrong on our side.
      return;
    }
    if (failure != null && rc.get(READING_BODY) != null && rc.get(BODY_READ) == null) {
      // Reading the body failed: the client sent a broken body (a bad chunk size, say). Nothing of ours ran on it.
      send(rc, plain(400, "the request body is not valid HTTP framing"));
    } else if (failure instanceof BusFailureException typed) {
      send(rc, fromBus(typed.failure()));
    } else if (failure instanceof HttpException http && http.getCause() instanceof ValidatorException invalid) {
      send(rc, fromValidation(invalid));
    } else if (failure instanceof HttpException http) {
      send(rc, plain(http.getStatusCode(), http.getPayload()));
    } else if (failure == null) {
      send(rc, plain(rc.statusCode() > 0 ? rc.statusCode() : 500, null));
    } else if (rc.statusCode() >= 400 && rc.statusCode() < 500) {
      // Vert.x Web refusing a request it cannot route (an empty path, say); its message may quote the client.
      send(rc, plain(rc.statusCode(), null));
    } else {
      String ref = Long.toHexString(System.nanoTime());
      LOG.error("unexpected failure on {} {} (ref {})", rc.request().method(), rc.request().path(), ref, failure);
      send(rc, plain(500, "unexpected failure (ref " + ref + "); see the server log"));
    }
  }

  static JsonObject fromBus(BusFailure failure) {
    BusError error = failure.error();
    JsonObject problem = problem(error.httpStatus(), error.title(), failure.detail())
      .put("code", error.code());
    if (failure.field() != null) {
      problem.put("field", failure.field());
    }
    if (failure.dependency() != null) {
      problem.put("dependency", failure.dependency());
    }
    return problem;
  }

  static JsonObject fromValidation(ValidatorException invalid) {
    if (invalid.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT && invalid.getMessage().contains("body")) {
      return problem(415, TITLES.get(415), "the request body must be application/json").put("code", 4150);
    }
    String field = null;
    JsonArray errors = new JsonArray();
    if (invalid instanceof SchemaValidationException schema && schema.getOutputUnit() != null) {
      List<OutputUnit> units = schema.getOutputUnit().getErrors();
      for (OutputUnit unit : units == null ? List.<OutputUnit>of() : units) {
        String where = fieldOf(unit);
        errors.add(new JsonObject().put("field", where).put("message", unit.getError()));
      }
      if (!errors.isEmpty()) {
        field = errors.getJsonObject(errors.size() - 1).getString("field");
      }
    }
    Matcher parameter = PARAMETER.matcher(invalid.getMessage() + " ");
    if (parameter.find()) {
      field = parameter.group(1);
      for (int i = 0; i < errors.size(); i++) {
        JsonObject error = errors.getJsonObject(i);
        error.put("field", error.getString("field").isEmpty() ? field : field + "." + error.getString("field"));
      }
    }
    JsonObject problem = problem(400, TITLES.get(400), invalid.getMessage())
      .put("code", BusError.BAD_INPUT.code());
    if (field != null && !field.isEmpty()) {
      problem.put("field", field);
    }
    if (!errors.isEmpty()) {
      problem.put("errors", errors);
    }
    return problem;
  }

  /** "#/messages/0/role" → "messages[0].role"; a missing property is named by the error text. */
  private static String fieldOf(OutputUnit unit) {
    String location = unit.getInstanceLocation() == null ? "" : unit.getInstanceLocation();
    if (location.startsWith("#")) {
      location = location.substring(1);
    }
    StringBuilder field = new StringBuilder();
    for (String part : location.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.chars().allMatch(Character::isDigit)) {
        field.append('[').append(part).append(']');
      } else {
        if (!field.isEmpty()) {
          field.append('.');
        }
        field.append(part.replace("~1", "/").replace("~0", "~"));
      }
    }
    Matcher required = REQUIRED.matcher(unit.getError() == null ? "" : unit.getError());
    if (required.find()) {
      if (!field.isEmpty()) {
        field.append('.');
      }
      field.append(required.group(1));
    }
    return field.toString();
  }

  /** A problem with one of the stable codes, for refusals the edge decides itself (401, 403, 429). */
  static JsonObject of(BusError error, String detail) {
    return problem(error.httpStatus(), error.title(), detail).put("code", error.code());
  }

  static JsonObject plain(int status, String detail) {
    String title = TITLES.getOrDefault(status, "Error");
    String text = detail;
    if (text == null || text.isBlank()) {
      text = switch (status) {
        case 404 -> "no such resource";
        case 405 -> "this method is not allowed on this resource";
        case 413 -> "the request body is larger than the configured limit (http.max_body_bytes)";
        case 414 -> "the request line is longer than " + HttpVerticle.MAX_INITIAL_LINE_BYTES + " bytes";
        case 431 -> "the request headers are larger than " + HttpVerticle.MAX_HEADER_BYTES + " bytes";
        default -> title;
      };
    }
    return problem(status, title, text).put("code", status * 10);
  }

  private static JsonObject problem(int status, String title, String detail) {
    return new JsonObject()
      .put("type", "about:blank")
      .put("title", title)
      .put("status", status)
      .put("detail", detail);
  }

  public static void send(RoutingContext rc, JsonObject problem) {
    send(rc.request(), problem);
  }

  /**
   * Answers with this problem. A refusal (4xx) also writes one short, rate-limited line to the log; its reason is
   * the problem's title and code, never text the client chose.
   */
  static void send(HttpServerRequest request, JsonObject problem) {
    HttpServerResponse response = request.response();
    int status = problem.getInteger("status");
    if (status >= 400 && status < 500) {
      RefusalLog.shared().refused("rest", clientAddress(request), request.method() + " " + request.path(), status,
        problem.getString("title") + " (code " + problem.getInteger("code") + ")");
    }
    response.setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE);
    if (request.version() != HttpVersion.HTTP_2 && (status == 413 || unreadBody(request))) {
      // The rest of the body is not read; close rather than leave the client writing into the void. HTTP/2 forbids
      // connection headers (clients reject the reply as malformed): there the stream just ends.
      response.putHeader("Connection", "close");
    }
    response.end(problem.encode());
  }

  /** For answers outside a router (connection-level refusals): the problem, with nothing else added. */
  static void send(HttpServerResponse response, JsonObject problem) {
    response.setStatusCode(problem.getInteger("status")).putHeader("Content-Type", CONTENT_TYPE)
      .end(problem.encode());
  }

  /**
   * The server's {@code invalidRequestHandler}: a request the HTTP decoder could not read (a request line or headers
   * over the limits, a malformed request line, version or header) gets a problem reply, and its connection is
   * closed, since where the next request would start is unknown.
   */
  static void invalidRequest(HttpServerRequest request) {
    UnreadableRequest unreadable = UnreadableRequest.of(request);
    JsonObject problem = plain(unreadable.status(), unreadable.detail());
    HttpServerResponse response = request.response();
    int status = problem.getInteger("status");
    // The decoder's stand-in for an unreadable request has no real method or path to name.
    RefusalLog.shared().refused("rest", clientAddress(request), "(unreadable request)", status,
      problem.getString("title") + " (code " + problem.getInteger("code") + ")");
    response.setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE).putHeader("Connection", "close")
      .end(problem.encode());
    request.connection().close();
  }

  /** True when the request announced a body that has not been read (refused before reading it). */
  private static boolean unreadBody(HttpServerRequest request) {
    if (request.isEnded()) {
      return false;
    }
    String length = request.getHeader("Content-Length");
    return request.getHeader("Transfer-Encoding") != null || (length != null && !length.strip().equals("0"));
  }

  private static String clientAddress(HttpServerRequest request) {
    SocketAddress address = request.remoteAddress();
    return address == null || address.hostAddress() == null ? "?" : address.hostAddress();
  }
}
