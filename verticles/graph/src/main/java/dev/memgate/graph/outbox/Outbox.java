package dev.memgate.graph.outbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The graph's write-ahead outbox: every graph write is first made durable here, one file per entry under
 * {@code <data.dir>/graph-outbox/}, named by a sequence number so that replay keeps the order. A file is written to
 * a temporary name, fsync'ed, renamed into place and the directory fsync'ed; it is deleted once the store has the
 * change, so nothing of a deleted user lingers here either. File work runs on worker threads, in submission order.
 */
public final class Outbox {
  private static final String SUFFIX = ".json";

  private final Vertx vertx;
  private final Path directory;
  private long nextSeq;

  /** One durable entry. */
  public record Entry(long seq, JsonObject op, Path file) {
  }

  public Outbox(Vertx vertx, Path directory) {
    this.vertx = vertx;
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }

  /** Creates the directory and reads the entries left by an earlier run, oldest first. */
  public Future<List<Entry>> open() {
    return vertx.executeBlocking(() -> {
      Files.createDirectories(directory);
      List<Entry> entries = new ArrayList<>();
      try (Stream<Path> files = Files.list(directory)) {
        for (Path file : files.sorted().toList()) {
          String name = file.getFileName().toString();
          if (name.endsWith(".tmp")) {
            // Never renamed into place: never acknowledged.
            Files.deleteIfExists(file);
          } else if (name.endsWith(SUFFIX)) {
            long seq = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
            entries.add(new Entry(seq, new JsonObject(Files.readString(file)), file));
            nextSeq = Math.max(nextSeq, seq + 1);
          }
        }
      }
      return entries;
    }, true);
  }

  /** Appends an entry durably; the future completes once it would survive a crash. */
  public Future<Entry> append(JsonObject op) {
    long seq = nextSeq++;
    return vertx.executeBlocking(() -> {
      Path file = directory.resolve(String.format("%020d", seq) + SUFFIX);
      Path temporary = directory.resolve(file.getFileName() + ".tmp");
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(op.encode().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory();
      return new Entry(seq, op, file);
    }, true);
  }

  /** Removes an applied entry. */
  public Future<Void> remove(Entry entry) {
    return vertx.executeBlocking(() -> {
      Files.deleteIfExists(entry.file());
      syncDirectory();
      return null;
    }, true);
  }

  /** Moves an entry the store keeps refusing aside (kept, not lost), under {@code failed/}. */
  public Future<Void> setAside(Entry entry) {
    return vertx.executeBlocking(() -> {
      Path failed = Files.createDirectories(directory.resolve("failed"));
      Files.move(entry.file(), failed.resolve(entry.file().getFileName()), StandardCopyOption.ATOMIC_MOVE);
      syncDirectory();
      return null;
    }, true);
  }

  private void syncDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
