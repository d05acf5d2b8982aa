package dev.memgate.gateway.testing;

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
 * Reads a server-sent event stream the way a legacy MCP client does: events are handed over one at a time, in
 * order, by a reader thread. A wait for an event gives up after a minute, so a server that never answers fails
 * the test instead of hanging it.
 */
public final class SseReader implements AutoCloseable {
  /** One event: its name and its data. */
  public record Event(String name, String data) {
  }

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final int status;
  private Stream<String> lines;

  private SseReader(int status) {
    this.status = status;
  }

  public static SseReader open(String url, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
    headers.forEach(request::header);
    try {
      HttpResponse<Stream<String>> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
        .send(request.build(), HttpResponse.BodyHandlers.ofLines());
      SseReader reader = new SseReader(response.statusCode());
      reader.lines = response.body();
      Thread.ofVirtual().name("sse-reader").start(reader::pump);
      return reader;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int status() {
    return status;
  }

  private void pump() {
    String[] name = {"message"};
    StringBuilder data = new StringBuilder();
    try {
      lines.forEach(line -> {
        if (line.isEmpty()) {
          if (!data.isEmpty()) {
            events.add(new Event(name[0], data.toString()));
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
  }

  /** The next event. */
  public Event next() {
    try {
      Event event = events.poll(60, TimeUnit.SECONDS);
      if (event == null) {
        throw new AssertionError("no event arrived within a minute");
      }
      return event;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (lines != null) {
      lines.close();
    }
  }
}
