package dev.memgate.gateway.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * MCP's Streamable HTTP spoken by hand, on the JDK's HTTP client, so that a test controls every header and byte
 * (wrong origins, missing sessions, broken JSON) that an SDK client would never send.
 */
public final class McpHttp {
  public static final String SESSION = "Mcp-Session-Id";
  public static final String VERSION = "MCP-Protocol-Version";

  private final HttpClient client;
  private final String base;
  private final AtomicInteger ids = new AtomicInteger();

  public McpHttp(String base) {
    this(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
  }

  /** Over this client (one that trusts a test's certificate, for https://). */
  public McpHttp(String base, HttpClient client) {
    this.base = base;
    this.client = client;
  }

  public String base() {
    return base;
  }

  /** POSTs exactly these bytes with the usual MCP headers plus {@code headers} (a null value removes one). */
  public Reply post(String path, String body, Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("Content-Type", "application/json");
    all.put("Accept", "application/json, text/event-stream");
    all.putAll(headers);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
      .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_8)));
    all.forEach((name, value) -> {
      if (value != null) {
        request.header(name, value);
      }
    });
    return send(request);
  }

  public Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> response = client.send(request.timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(response.statusCode(), response.headers().map(), Buffer.buffer(response.body()));
    } catch (IOException e) {
      throw new IllegalStateException("request to " + base + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static JsonObject request(Object id, String method, JsonObject params) {
    JsonObject message = new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method);
    return params == null ? message : message.put("params", params);
  }

  public static JsonObject initializeParams(String version) {
    return new JsonObject()
      .put("protocolVersion", version)
      .put("capabilities", new JsonObject())
      .put("clientInfo", new JsonObject().put("name", "raw-test").put("version", "1"));
  }

  /** Initializes a session on {@code path} (with extra headers) and returns the whole HTTP reply. */
  public Reply initialize(String path, Map<String, String> headers, JsonObject params) {
    return post(path, request(ids.incrementAndGet(), "initialize", params).encode(), headers);
  }

  /** A ready session: initialized, with notifications/initialized sent; returns its id. */
  public String open(String path, Map<String, String> headers) {
    Reply reply = initialize(path, headers, initializeParams("2025-11-25"));
    if (reply.status() != 200 || reply.header(SESSION) == null) {
      throw new IllegalStateException("initialize failed: " + reply);
    }
    String session = reply.header(SESSION);
    Map<String, String> withSession = new LinkedHashMap<>(headers);
    withSession.put(SESSION, session);
    Reply initialized = post(path, new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized")
      .encode(), withSession);
    if (initialized.status() != 202) {
      throw new IllegalStateException("notifications/initialized: " + initialized);
    }
    return session;
  }

  public String open() {
    return open("/mcp", Map.of());
  }

  /** Sends one request in a session and returns the JSON-RPC response (HTTP 200 expected). */
  public JsonObject call(String path, String session, Map<String, String> headers, String method, JsonObject params) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put(SESSION, session);
    all.put(VERSION, "2025-11-25");
    Reply reply = post(path, request(ids.incrementAndGet(), method, params).encode(), all);
    if (reply.status() != 200) {
      throw new IllegalStateException(method + ": " + reply);
    }
    return reply.json();
  }

  public JsonObject call(String session, String method, JsonObject params) {
    return call("/mcp", session, Map.of(), method, params);
  }

  /** tools/call; returns the CallToolResult. */
  public JsonObject tool(String path, String session, Map<String, String> headers, String name, JsonObject args) {
    JsonObject response = call(path, session, headers, "tools/call", new JsonObject().put("name", name)
      .put("arguments", args));
    if (response.containsKey("error")) {
      throw new IllegalStateException(name + ": " + response.encode());
    }
    return response.getJsonObject("result");
  }

  public JsonObject tool(String session, String name, JsonObject args) {
    return tool("/mcp", session, Map.of(), name, args);
  }

  public static String text(JsonObject toolResult) {
    return toolResult.getJsonArray("content").getJsonObject(0).getString("text");
  }
}
