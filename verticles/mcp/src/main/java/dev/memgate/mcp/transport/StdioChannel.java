package dev.memgate.mcp.transport;

import dev.memgate.mcp.protocol.JsonRpc;
import io.vertx.core.json.JsonObject;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The process's stdin and stdout as an MCP channel: newline-delimited JSON-RPC in, the same out, nothing else ever
 * on stdout. Reading starts as soon as the channel opens, on its own thread (a read blocks for as long as the client
 * is quiet, which no Vert.x thread may do); lines that arrive while the service is still starting wait in a queue.
 * If start-up fails, {@link #refuse} answers the waiting requests with an error saying why, so a desktop app shows
 * the reason instead of waiting. Writes go through one writer thread, so a slow reader never blocks the server.
 * When stdin ends, the transport answers what is in flight and then calls {@link #finish}, which writes out the
 * rest and runs the closed handler (the process exits there) on a thread of its own, never on an event loop.
 *
 * <p>The reader stays at most {@code maxAhead} lines ahead of the answers: a line counts from the moment it is read
 * until {@link #lineDone} says its answer has been written out. Past that, it reads nothing more, so a client that
 * writes requests faster than they are answered, or does not read its answers, finds its own writes waiting,
 * instead of the server buffering for it without limit.
 */
public final class StdioChannel {
  /** Lines read ahead until {@link #attach(Consumer, Runnable, int)} says how many may be. */
  static final int DEFAULT_MAX_AHEAD = 8;

  /** One line from stdin: its text, or {@code oversized} when it was longer than the limit (and was skipped). */
  public record Line(String text, boolean oversized) {
  }

  private final InputStream in;
  private final OutputStream out;
  private final int maxLineBytes;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> daemon(r, "memgate-stdio-writer"));
  private final List<Line> waiting = new ArrayList<>();
  private Consumer<Line> sink;
  private Runnable eofSink;
  private volatile Runnable closedHandler = () -> {
  };
  private boolean ended;
  private boolean finished;
  /** Lines read whose answers have not been written out yet, and how many there may be. */
  private int ahead;
  private int maxAhead = DEFAULT_MAX_AHEAD;

  private StdioChannel(InputStream in, OutputStream out, int maxLineBytes) {
    this.in = in;
    this.out = new BufferedOutputStream(out, 1 << 16);
    this.maxLineBytes = maxLineBytes;
  }

  /** Opens the channel and starts reading at once. */
  public static StdioChannel open(InputStream in, OutputStream out, int maxLineBytes) {
    StdioChannel channel = new StdioChannel(in, out, maxLineBytes);
    daemon(channel::readLoop, "memgate-stdio-reader").start();
    return channel;
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }

  /**
   * From now on, lines go to {@code lineSink} (on the reader thread), the waiting ones first, and the end of stdin
   * to {@code eof}.
   */
  public void attach(Consumer<Line> lineSink, Runnable eof) {
    attach(lineSink, eof, DEFAULT_MAX_AHEAD);
  }

  /**
   * As {@link #attach(Consumer, Runnable)}, reading at most {@code maxAhead} lines ahead of the answers: the sink
   * must call {@link #lineDone} once for every line it was given.
   */
  public void attach(Consumer<Line> lineSink, Runnable eof, int maxAhead) {
    List<Line> backlog;
    boolean alreadyEnded;
    synchronized (this) {
      this.maxAhead = Math.max(1, maxAhead);
      notifyAll();
      backlog = new ArrayList<>(waiting);
      waiting.clear();
      sink = lineSink;
      eofSink = eof;
      alreadyEnded = ended;
    }
    backlog.forEach(lineSink);
    if (alreadyEnded) {
      eof.run();
    }
  }

  /** What to do once the channel is finished: the client has gone, and the MCP spec says the server should exit. */
  public void onClosed(Runnable handler) {
    this.closedHandler = handler;
  }

  /** Writes out what was sent, then runs the closed handler, on a thread of its own. Only the first call counts. */
  public void finish() {
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
    }
    daemon(() -> {
      flush();
      closedHandler.run();
    }, "memgate-stdio-finish").start();
  }

  /** Writes one message as one line. */
  public void send(String json) {
    send(json, () -> {
    });
  }

  /** Writes one message as one line, then runs {@code written} (on the writer thread), whether or not it got out. */
  public void send(String json, Runnable written) {
    if (writer.isShutdown()) {
      written.run();
      return;
    }
    try {
      writer.execute(() -> {
        try {
          out.write(json.getBytes(StandardCharsets.UTF_8));
          out.write('\n');
          out.flush();
        } catch (IOException e) {
          System.err.println("memgate: stdout closed (" + e.getMessage() + "); stopping");
          finish();
        } finally {
          written.run();
        }
      });
    } catch (RejectedExecutionException shutDown) {
      written.run();
    }
  }

  /** One line handed to the sink has been answered (or needs none): the reader may read one more. */
  public void lineDone() {
    synchronized (this) {
      ahead = Math.max(0, ahead - 1);
      notifyAll();
    }
  }

  /** Blocks the reader while as many lines as allowed wait for their answers; false when interrupted. */
  private boolean awaitRoom() {
    synchronized (this) {
      while (ahead >= maxAhead) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      ahead++;
      return true;
    }
  }

  /**
   * Answers every request that waited, and every one still to come, with an error carrying {@code reason}: for a
   * service that could not start.
   */
  public void refuse(String reason) {
    attach(line -> {
      if (line.oversized() || line.text() == null) {
        lineDone();
        return;
      }
      try {
        JsonObject message = new JsonObject(line.text());
        if (message.containsKey("method") && message.getValue("id") != null) {
          send(JsonRpc.error(message.getValue("id"), JsonRpc.SERVER_ERROR, reason, null).encode(), this::lineDone);
          return;
        }
      } catch (RuntimeException notJson) {
        // nothing to answer
      }
      lineDone();
    }, () -> {
    });
  }

  /** Waits (briefly) until everything sent has been written; nothing is written after. */
  public void flush() {
    writer.shutdown();
    try {
      writer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void readLoop() {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    boolean oversized = false;
    byte[] buffer = new byte[1 << 16];
    try {
      int read;
      while ((read = in.read(buffer)) != -1) {
        for (int i = 0; i < read; i++) {
          byte b = buffer[i];
          if (b == '\n') {
            deliver(line, oversized);
            line.reset();
            oversized = false;
          } else if (!oversized) {
            if (line.size() >= maxLineBytes) {
              // Keep reading to the end of the line, but keep none of it.
              oversized = true;
              line.reset();
            } else {
              line.write(b);
            }
          }
        }
      }
      deliver(line, oversized);
    } catch (IOException e) {
      System.err.println("memgate: reading stdin failed: " + e.getMessage());
    }
    Runnable eof;
    synchronized (this) {
      ended = true;
      eof = eofSink;
    }
    if (eof != null) {
      eof.run();
    }
  }

  private void deliver(ByteArrayOutputStream bytes, boolean oversized) {
    Line line;
    if (oversized) {
      line = new Line(null, true);
    } else {
      String text = bytes.toString(StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        return;
      }
      line = new Line(text, false);
    }
    if (!awaitRoom()) {
      return;
    }
    Consumer<Line> target;
    synchronized (this) {
      target = sink;
      if (target == null) {
        waiting.add(line);
        return;
      }
    }
    target.accept(line);
  }
}
