package dev.memgate.bench;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The benchmark's client of the REST API: the JDK's HTTP/1.1 client over loopback, one pooled connection per
 * client thread. Anything but a 200 with a JSON object stops the run, naming the request and the reply.
 */
final class ApiClient implements AutoCloseable {
  /** Generous, so that only a stuck service trips it, yet the run still ends by itself. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

  private final HttpClient http = HttpClient.newBuilder()
    .version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(10))
    .build();
  private final String base;
  /** The API key sent with every request, or null. */
  private final String key;

  ApiClient(int port) {
    this(port, null);
  }

  /** A client that presents {@code key} ({@code X-API-Key}) with every request; null for none. */
  ApiClient(int port, String key) {
    this.base = "http://127.0.0.1:" + port;
    this.key = key;
  }

  String base() {
    return base;
  }

  JsonObject post(String path, JsonObject body) {
    return send("POST " + path, HttpRequest.newBuilder(URI.create(base + path))
      .header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  JsonObject delete(String path) {
    return send("DELETE " + path, HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** The headers of a {@code GET path} answered 200 (the benchmark checks which ones a service sends). */
  java.net.http.HttpHeaders headersOf(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    return raw("GET " + path, request).headers();
  }

  private JsonObject send(String what, HttpRequest.Builder request) {
    HttpResponse<String> response = raw(what, request);
    try {
      return new JsonObject(response.body());
    } catch (DecodeException | ClassCastException e) {
      throw new BenchFailure(what + " answered 200 without a JSON object: " + excerpt(response.body()));
    }
  }

  private HttpResponse<String> raw(String what, HttpRequest.Builder request) {
    if (key != null) {
      request.header("X-API-Key", key);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new BenchFailure(what + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchFailure(what + " interrupted");
    }
    if (response.statusCode() != 200) {
      throw new BenchFailure(what + " answered " + response.statusCode() + ": " + excerpt(response.body()));
    }
    return response;
  }

  private static String excerpt(String body) {
    return body.length() <= 500 ? body : body.substring(0, 500) + "...";
  }

  @Override
  public void close() {
    http.close();
  }
}
