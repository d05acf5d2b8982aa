package dev.memgate.gateway.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code memgate keys ...}: manages API keys through a running Memgate's admin API, with the operator's key from
 * {@code MEMGATE_API_KEY}. It is a client of the API (not of the store), so it works the same against one process on a
 * laptop and against a cluster behind a load balancer, and every action lands in the audit log.
 *
 * <pre>
 * memgate keys create --name NAME (--user ID ... | --all-users) [--agent ID ...] [--app APP]
 *                     --permissions read,write[,delete,admin] [--expires 2027-01-31T00:00:00Z] [--rpm N]
 * memgate keys list | revoke ID | rotate ID | audit [--limit N]
 * memgate keys apps | pause APP | resume APP | app-access APP all|own
 * </pre>
 * Common: {@code --url URL} (default {@code MEMGATE_URL}, else http://127.0.0.1:{@code MEMGATE_HTTP_PORT or 8080}).
 * Exit codes: 0 done, 1 the service refused or could not be reached, 2 a usage mistake.
 */
public final class KeysCommand {
  static final String USAGE = """
    usage: memgate keys create --name NAME (--user ID ... | --all-users) [--agent ID ...] [--app APP]
                               --permissions read,write[,delete,admin] [--expires UTC-TIMESTAMP] [--rpm N]
           memgate keys list
           memgate keys revoke KEY_ID
           memgate keys rotate KEY_ID
           memgate keys audit [--limit N]
           memgate keys apps                      the apps keys name, with memory counts and last use
           memgate keys pause APP | resume APP    refuse (403) or honour again every key of the app
           memgate keys app-access APP all|own    whether the app's keys read other apps' memories
      --url URL  the Memgate to manage (default MEMGATE_URL, else http://127.0.0.1:$MEMGATE_HTTP_PORT or :8080)
      The operator's key is read from MEMGATE_API_KEY. A new key's secret is printed once: store it now.""";

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public KeysCommand(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /** @return the process exit code */
  public int run(String... args) {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    String url = option(rest, "--url");
    if (url == null) {
      url = env.getOrDefault("MEMGATE_URL", "http://127.0.0.1:" + env.getOrDefault("MEMGATE_HTTP_PORT", "8080"));
    }
    String operatorKey = env.get("MEMGATE_API_KEY");
    if (rest.isEmpty() || rest.contains("--help") || rest.contains("-h")) {
      out.println(USAGE);
      return rest.isEmpty() ? 2 : 0;
    }
    if (operatorKey == null || operatorKey.isBlank()) {
      return usage("set MEMGATE_API_KEY to the operator's key of the Memgate to manage");
    }
    String command = rest.remove(0);
    try {
      return switch (command) {
        case "create" -> create(url, operatorKey, rest);
        case "list" -> noMore(rest) ? call(url, operatorKey, "GET", "/keys", null) : 2;
        case "revoke" -> oneId(rest) ? call(url, operatorKey, "DELETE", "/keys/" + rest.get(0), null) : 2;
        case "rotate" -> oneId(rest) ? call(url, operatorKey, "POST", "/keys/" + rest.get(0) + "/rotate",
          new JsonObject()) : 2;
        case "audit" -> {
          String limit = option(rest, "--limit");
          yield noMore(rest) ? call(url, operatorKey, "GET", "/audit" + (limit == null ? "" : "?limit=" + limit),
            null) : 2;
        }
        case "apps" -> noMore(rest) ? call(url, operatorKey, "GET", "/apps", null) : 2;
        case "pause", "resume" -> oneId(rest) ? call(url, operatorKey, "PATCH", app(rest.get(0)),
          new JsonObject().put("paused", command.equals("pause"))) : 2;
        case "app-access" -> rest.size() == 2 ? call(url, operatorKey, "PATCH", app(rest.get(0)),
          new JsonObject().put("memory_access", rest.get(1))) : usage("give an app and all or own");
        default -> usage("unknown command keys " + command);
      };
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }
  }

  private int create(String url, String operatorKey, List<String> rest) {
    JsonObject request = new JsonObject();
    String name = option(rest, "--name");
    if (name == null) {
      return usage("keys create needs --name");
    }
    request.put("name", name);
    List<String> users = options(rest, "--user");
    boolean allUsers = rest.remove("--all-users");
    if (users.isEmpty() == !allUsers) {
      return usage("keys create needs --user ID (one or more) or --all-users, not both");
    }
    request.put("users", allUsers ? "*" : new JsonArray(List.copyOf(users)));
    List<String> agents = options(rest, "--agent");
    if (!agents.isEmpty()) {
      request.put("agents", new JsonArray(List.copyOf(agents)));
    }
    String app = option(rest, "--app");
    if (app != null) {
      request.put("app", app);
    }
    String permissions = option(rest, "--permissions");
    if (permissions == null) {
      return usage("keys create needs --permissions (read, write, delete, admin; comma-separated)");
    }
    request.put("permissions", new JsonArray(Arrays.stream(permissions.split(",")).map(String::strip)
      .filter(p -> !p.isEmpty()).map(p -> (Object) p).toList()));
    String expires = option(rest, "--expires");
    if (expires != null) {
      request.put("expires_at", expires);
    }
    String rpm = option(rest, "--rpm");
    if (rpm != null) {
      try {
        request.put("requests_per_minute", Integer.parseInt(rpm));
      } catch (NumberFormatException e) {
        return usage("--rpm needs a whole number");
      }
    }
    if (!noMore(rest)) {
      return 2;
    }
    return call(url, operatorKey, "POST", "/keys", request);
  }

  /** Sends one admin request and prints the answer; a refusal prints the service's detail on stderr. */
  private int call(String url, String operatorKey, String method, String path, JsonObject body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
      .timeout(Duration.ofSeconds(30))
      .header("X-API-Key", operatorKey)
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | IllegalArgumentException e) {
      err.println("memgate keys: cannot reach " + url + " (" + e.getMessage() + ")");
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    String text = response.body();
    if (response.statusCode() >= 400) {
      String detail = text;
      try {
        JsonObject problem = new JsonObject(text);
        detail = problem.getString("detail", text) + (problem.containsKey("field")
          ? " (" + problem.getString("field") + ")" : "");
      } catch (DecodeException e) {
        // not problem+json: print as it came
      }
      err.println("memgate keys: " + response.statusCode() + " " + detail);
      return 1;
    }
    try {
      Object json = text.strip().startsWith("[") ? new JsonArray(text) : new JsonObject(text);
      out.println(json instanceof JsonObject object ? object.encodePrettily() : ((JsonArray) json).encodePrettily());
    } catch (DecodeException e) {
      out.println(text);
    }
    return 0;
  }

  private static String app(String name) {
    return "/apps/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String option(List<String> args, String name) {
    int at = args.indexOf(name);
    if (at < 0) {
      return null;
    }
    if (at + 1 >= args.size()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    String value = args.get(at + 1);
    args.subList(at, at + 2).clear();
    return value;
  }

  private static List<String> options(List<String> args, String name) {
    List<String> values = new ArrayList<>();
    for (String value = option(args, name); value != null; value = option(args, name)) {
      values.add(value);
    }
    return values;
  }

  private boolean oneId(List<String> rest) {
    if (rest.size() != 1 || rest.get(0).startsWith("-")) {
      usage("give exactly one key id or app name");
      return false;
    }
    return true;
  }

  private boolean noMore(List<String> rest) {
    if (!rest.isEmpty()) {
      usage("unexpected " + String.join(" ", rest));
      return false;
    }
    return true;
  }

  private int usage(String problem) {
    err.println("memgate keys: " + problem);
    err.println(USAGE);
    return 2;
  }
}
