package dev.memgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The directory the service writes its store to. A temporary one is deleted after the run unless asked to keep it;
 * one the user named is never deleted, and must start empty so that the figures are those of a fresh store.
 */
final class BenchDataDir implements AutoCloseable {
  private final Path path;
  private final boolean temporary;
  private final boolean keep;

  private BenchDataDir(Path path, boolean temporary, boolean keep) {
    this.path = path;
    this.temporary = temporary;
    this.keep = keep;
  }

  static BenchDataDir prepare(Path requested, boolean keep) {
    try {
      if (requested == null) {
        return new BenchDataDir(Files.createTempDirectory("memgate-bench-"), true, keep);
      }
      if (Files.exists(requested) && !isEmptyDirectory(requested)) {
        throw new BenchOptions.UsageException("--data-dir " + requested + " must be empty or absent");
      }
      Files.createDirectories(requested);
      return new BenchDataDir(requested, false, true);
    } catch (IOException e) {
      throw new BenchFailure("cannot create the data directory: " + e, e);
    }
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  Path path() {
    return path;
  }

  /** Whether the directory is still there after {@link #close()}. */
  boolean kept() {
    return keep || !temporary;
  }

  @Override
  public void close() {
    if (kept()) {
      return;
    }
    try (Stream<Path> paths = Files.walk(path)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new BenchFailure("cannot delete the data directory " + path + ": " + e, e);
    }
  }
}
