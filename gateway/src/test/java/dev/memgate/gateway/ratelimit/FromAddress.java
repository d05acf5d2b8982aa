package dev.memgate.gateway.ratelimit;

import dev.memgate.gateway.testing.Reply;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A REST client calling from its own loopback address (Linux routes all of 127.0.0.0/8 to lo), so that one test can
 * be several clients as the service sees them; optionally presenting a key.
 */
final class FromAddress {
  private final HttpClient client;
  private final String base;
  private final String key;

  FromAddress(String local, int port, String key) {
    try {
      client = HttpClient.newBuilder().localAddress(InetAddress.getByName(local))
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    this.base = "http://127.0.0.1:" + port;
    this.key = key;
  }

  FromAddress(String local, int port) {
    this(local, port, null);
  }

  Reply add(String user, String text, boolean infer) {
    return send(post("/memories", new JsonObject().put("messages", text).put("user_id", user).put("infer", infer)));
  }

  /** An add that leaves {@code infer} to its default (true). */
  Reply addInferringByDefault(String user, String text) {
    return send(post("/memories", new JsonObject().put("messages", text).put("user_id", user)));
  }

  /** Any method and path, with a JSON body. */
  Reply send(String method, String path, JsonObject body) {
    return send(request(path).header("Content-Type", "application/json")
      .method(method, HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  Reply list(String user) {
    return send(request("/memories?user_id=" + user).GET());
  }

  Reply search(String user, String query) {
    return send(post("/search", new JsonObject().put("query", query).put("user_id", user)));
  }

  CompletableFuture<Reply> listAsync(String user) {
    return client.sendAsync(request("/memories?user_id=" + user).GET().build(),
      HttpResponse.BodyHandlers.ofByteArray()).thenApply(FromAddress::reply);
  }

  private HttpRequest.Builder post(String path, JsonObject body) {
    return request(path).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    return key == null ? request : request.header("X-API-Key", key);
  }

  private Reply send(HttpRequest.Builder request) {
    try {
      return reply(client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Reply reply(HttpResponse<byte[]> response) {
    return new Reply(response.statusCode(), response.headers().map(), Buffer.buffer(response.body()));
  }
}
