package dev.memgate.mcp.transport;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, finding 1 on stdio: the channel reads at most {@code maxAhead} lines ahead of the answers, so a client
 * that floods stdin (or does not read stdout) is held back by its own pipe instead of being buffered without limit.
 */
class StdioChannelTest {
  /** More than the channel reads ahead before it is attached, so the limit given at attach is the one that holds. */
  private static final int AHEAD = StdioChannel.DEFAULT_MAX_AHEAD + 4;

  /** A client with a thousand requests ready, handing them over one line per read, then waiting for ever. */
  private static final class Flood extends InputStream {
    private final AtomicInteger linesRead = new AtomicInteger();
    private final CountDownLatch never = new CountDownLatch(1);

    @Override
    public int read() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (linesRead.get() >= 1_000) {
        try {
          never.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return -1;
      }
      byte[] line = ("{\"jsonrpc\":\"2.0\",\"id\":" + linesRead.incrementAndGet() + ",\"method\":\"ping\"}\n")
        .getBytes(StandardCharsets.UTF_8);
      System.arraycopy(line, 0, buffer, offset, line.length);
      return line.length;
    }
  }

  @Test
  void theReaderStaysAtMostMaxAheadLinesAheadOfTheAnswers() throws InterruptedException {
    Flood stdin = new Flood();
    StdioChannel channel = StdioChannel.open(stdin, new ByteArrayOutputStream(), 1 << 16);
    BlockingQueue<StdioChannel.Line> handed = new LinkedBlockingQueue<>();
    channel.attach(handed::add, () -> {
    }, AHEAD);
    Thread reader = Thread.getAllStackTraces().keySet().stream()
      .filter(t -> t.getName().equals("memgate-stdio-reader") && t.isAlive()).findFirst().orElseThrow();

    for (int i = 0; i < AHEAD; i++) {
      assertThat(handed.poll(10, TimeUnit.SECONDS)).as("line %d", i + 1).isNotNull();
    }
    awaitWaiting(reader);
    // The reader holds at most the one line it cannot hand over yet.
    assertThat(stdin.linesRead.get()).as("lines read while %d wait for answers", AHEAD).isLessThanOrEqualTo(AHEAD + 1);
    assertThat(handed).isEmpty();

    channel.lineDone();
    assertThat(handed.poll(10, TimeUnit.SECONDS)).as("the next line, once one was answered").isNotNull();
    awaitWaiting(reader);
    assertThat(stdin.linesRead.get()).isLessThanOrEqualTo(AHEAD + 2);
    assertThat(handed).isEmpty();
  }

  /** Until the reader blocks (on room for another line, or on a client with nothing more to send). */
  private static void awaitWaiting(Thread reader) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (reader.getState() != Thread.State.WAITING) {
      assertThat(System.nanoTime()).as("the reader never blocked").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
