package dev.memgate.gateway.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/** An HTTP answer as a test sees it. */
public record Reply(int status, Map<String, List<String>> headers, Buffer body) {

  public JsonObject json() {
    return body.toJsonObject();
  }

  public JsonArray jsonArray() {
    return body.toJsonArray();
  }

  public String header(String name) {
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
        return header.getValue().get(0);
      }
    }
    return null;
  }

  public String text() {
    return body.toString();
  }

  @Override
  public String toString() {
    return status + " " + text();
  }
}
