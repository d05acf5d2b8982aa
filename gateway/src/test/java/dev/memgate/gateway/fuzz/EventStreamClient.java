package dev.memgate.gateway.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A legacy MCP event stream ({@code GET /sse}) read on a thread of its own, with waits that give up when the fuzzer
 * says (unlike {@code SseReader}, whose waits are a minute): the {@code endpoint} event, then every {@code message}
 * event's data in order; the stream's end is an event too.
 */
final class EventStreamClient implements AutoCloseable {
  /** Handed over when the stream ends. */
  static final String END = "\u0000end";

  private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
  private final int status;
  private final Stream<String> lines;
  private volatile String endpoint;
  private final java.util.concurrent.CountDownLatch endpointSeen = new java.util.concurrent.CountDownLatch(1);

  private EventStreamClient(int status, Stream<String> lines) {
    this.status = status;
    this.lines = lines;
  }

  static EventStreamClient open(HttpClient client, String url, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream")
      .timeout(Duration.ofSeconds(15)).GET();
    headers.forEach(request::header);
    try {
      HttpResponse<Stream<String>> response = client.send(request.build(), HttpResponse.BodyHandlers.ofLines());
      EventStreamClient stream = new EventStreamClient(response.statusCode(), response.body());
      Thread.ofVirtual().name("fuzz-sse").start(stream::pump);
      return stream;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  int status() {
    return status;
  }

  private void pump() {
    String[] name = {"message"};
    StringBuilder data = new StringBuilder();
    try {
      lines.forEach(line -> {
        if (line.isEmpty()) {
          if (!data.isEmpty()) {
            if (name[0].equals("endpoint")) {
              endpoint = data.toString();
              endpointSeen.countDown();
            } else if (name[0].equals("message")) {
              messages.add(data.toString());
            }
          }
          name[0] = "message";
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          name[0] = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).strip());
        }
      });
    } catch (RuntimeException closed) {
      // the stream was closed
    }
    messages.add(END);
    endpointSeen.countDown();
  }

  /** Where to POST messages (a path with its query), or null if none came in time. */
  String endpoint(long timeoutMs) {
    try {
      endpointSeen.await(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return endpoint;
  }

  /** The next message's data, {@link #END} once the stream ended, or null after {@code timeoutMs}. */
  String next(long timeoutMs) {
    try {
      String message = messages.poll(timeoutMs, TimeUnit.MILLISECONDS);
      if (END.equals(message)) {
        messages.add(END);
      }
      return message;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  @Override
  public void close() {
    lines.close();
  }
}
