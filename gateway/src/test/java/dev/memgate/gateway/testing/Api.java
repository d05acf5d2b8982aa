package dev.memgate.gateway.testing;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plain HTTP client for tests, on the JDK's client so that a test can send exactly the bytes it wants (broken
 * JSON, invalid UTF-8, oversized bodies) to the real server on its real port.
 */
public final class Api {
  private final HttpClient client;
  private final int port;
  private final String base;
  private final Map<String, String> headers;

  /** The JDK client's default: HTTP/2 when the server agrees to upgrade (Memgate does), else HTTP/1.1. */
  public Api(int port) {
    this(port, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_2)
      .build(), Map.of());
  }

  private Api(int port, HttpClient client, Map<String, String> headers) {
    this.port = port;
    this.base = "http://127.0.0.1:" + port;
    this.client = client;
    this.headers = headers;
  }

  /** The same server over plain HTTP/1.1, as most mem0 clients speak it. */
  public Api http11() {
    return new Api(port, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1).build(), headers);
  }

  /** The same server, with this header on every request (an API key, say). */
  public Api withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Api(port, client, Map.copyOf(more));
  }

  /** The same server, presenting this key as X-API-Key. */
  public Api withKey(String key) {
    return withHeader("X-API-Key", key);
  }

  public String base() {
    return base;
  }

  public Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public Reply delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  public Reply post(String path, JsonObject body) {
    return postRaw(path, body.encode().getBytes(StandardCharsets.UTF_8), "application/json");
  }

  public Reply put(String path, JsonObject body) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
      .PUT(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  public Reply postRaw(String path, byte[] body, String contentType) {
    return sendRaw("POST", path, body, contentType);
  }

  /** Any method with exactly these body bytes; a null content type sends no Content-Type header. */
  public Reply sendRaw(String method, String path, byte[] body, String contentType) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
      .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request);
  }

  public Reply send(HttpRequest.Builder request) {
    headers.forEach(request::setHeader);
    try {
      HttpResponse<byte[]> response = client.send(request.timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(response.statusCode(), response.headers().map(),
        io.vertx.core.buffer.Buffer.buffer(response.body()));
    } catch (IOException e) {
      throw new IllegalStateException("request to " + base + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public URI uri(String path) {
    return URI.create(base + path);
  }

  public static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
