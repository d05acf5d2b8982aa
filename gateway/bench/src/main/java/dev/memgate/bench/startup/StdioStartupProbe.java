package dev.memgate.bench.startup;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A launch over stdio, as a desktop app (Claude Desktop) sees it every time it opens: it starts the process and at
 * once writes MCP {@code initialize}; then, once answered, a first {@code tools/call} of {@code search_memory}
 * (which needs the embedding model). Measured from the launch to each answer; the resident memory is read after
 * the second, when everything has loaded. Then stdin closes, which ends the process.
 */
final class StdioStartupProbe {
  private static final String EOF = "\u0000eof";

  /** What one launch measured. */
  record Timings(double initializeMs, double firstCallMs, long residentBytes) {
  }

  Timings measure(ChildService service, String query, Duration timeout) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread.ofVirtual().name("startup-stdio-reader").start(() -> pump(service, lines));
    long deadline = System.nanoTime() + timeout.toNanos();
    try (OutputStream stdin = service.stdin()) {
      send(stdin, new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize")
        .put("params", new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
          .put("clientInfo", new JsonObject().put("name", "memgate-startup-bench").put("version", "1"))));
      JsonObject initialized = answer(lines, 1, service, deadline);
      double initializeMs = service.elapsedMs();
      if (!initialized.containsKey("result")) {
        throw new IllegalStateException("initialize was refused: " + initialized.encode());
      }
      send(stdin, new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"));
      send(stdin, new JsonObject().put("jsonrpc", "2.0").put("id", 2).put("method", "tools/call")
        .put("params", new JsonObject().put("name", "search_memory")
          .put("arguments", new JsonObject().put("query", query).put("limit", 5))));
      JsonObject called = answer(lines, 2, service, deadline);
      double callMs = service.elapsedMs();
      JsonObject result = called.getJsonObject("result");
      if (result == null || result.getBoolean("isError", false)) {
        throw new IllegalStateException("search_memory failed: " + called.encode());
      }
      long resident = service.residentBytes();
      return new Timings(initializeMs, callMs, resident);
    } catch (IOException e) {
      throw new IllegalStateException("the stdio channel broke: " + e.getMessage() + "; log:\n" + service.logTail());
    } finally {
      // stdin is closed: the service stops by itself.
      service.awaitExit(30);
    }
  }

  private static void send(OutputStream stdin, JsonObject message) throws IOException {
    stdin.write((message.encode() + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  /** The answer to request {@code id}; other lines (notifications) are skipped. */
  private static JsonObject answer(BlockingQueue<String> lines, int id, ChildService service, long deadline) {
    while (true) {
      String line;
      try {
        line = lines.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted");
      }
      if (line == null) {
        throw new IllegalStateException("no answer to request " + id + " in time; log:\n" + service.logTail());
      }
      if (line.equals(EOF)) {
        throw new IllegalStateException("stdout closed before the answer to request " + id + "; log:\n"
          + service.logTail());
      }
      JsonObject message = new JsonObject(line);
      if (Integer.valueOf(id).equals(message.getValue("id"))) {
        return message;
      }
    }
  }

  private static void pump(ChildService service, BlockingQueue<String> lines) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(service.stdout(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    } catch (IOException closed) {
      // the process ended
    }
    lines.add(EOF);
  }
}
