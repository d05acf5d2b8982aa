package dev.memgate.gateway.fuzz;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The fuzzer's only source of chance. Each generated request gets its own Dice, made from the run's seed, the
 * lane's name and the request's number, so a request can be generated again on its own (and a run replayed with
 * {@code -Dmemgate.fuzz.seed}) however the requests were spread over threads.
 */
final class Dice {
  private final SplittableRandom random;

  Dice(long seed) {
    this.random = new SplittableRandom(seed);
  }

  static Dice forRequest(long runSeed, String lane, int index) {
    long mixed = runSeed;
    for (char c : lane.toCharArray()) {
      mixed = mixed * 31 + c;
    }
    return new Dice(new SplittableRandom(mixed).split().nextLong() ^ (index * 0x9E3779B97F4A7C15L));
  }

  int below(int bound) {
    return random.nextInt(bound);
  }

  int between(int from, int to) {
    return random.nextInt(from, to + 1);
  }

  boolean chance(double p) {
    return random.nextDouble() < p;
  }

  <T> T pick(List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  @SafeVarargs
  final <T> T oneOf(T... choices) {
    return choices[random.nextInt(choices.length)];
  }

  long nextLong() {
    return random.nextLong();
  }

  /** A random-looking id that the seed decides. */
  String uuid() {
    return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
  }

  byte[] bytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }
}
