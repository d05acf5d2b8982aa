package dev.memgate.bench;

/** The benchmark cannot go on: a request was refused, a phase timed out, or the service did not start. */
final class BenchFailure extends RuntimeException {
  BenchFailure(String message) {
    super(message);
  }

  BenchFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
