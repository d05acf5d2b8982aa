package dev.memgate.bench;

import java.util.List;

/**
 * One memory to load: a short sentence a user told the application, and questions whose answer it holds (never
 * sent with the memory; searches are made from them).
 */
record Fact(String userId, String text, List<String> questions) {

  /** Identifies the memory the service stored for this fact (the same text may belong to two users). */
  String key() {
    return userId + "\n" + text;
  }
}
