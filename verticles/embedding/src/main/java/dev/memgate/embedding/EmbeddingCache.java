package dev.memgate.embedding;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Least-recently-used vectors by purpose and text. Repeated queries and re-added texts skip the model. Used on the
 * verticle's event loop only, so it needs no locking.
 */
final class EmbeddingCache {
  private final int capacity;
  private final Map<String, float[]> entries;

  EmbeddingCache(int capacity) {
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(Math.max(16, capacity), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
        return size() > EmbeddingCache.this.capacity;
      }
    };
  }

  static String key(EmbeddingProvider.Purpose purpose, String text) {
    return purpose.ordinal() + text;
  }

  float[] get(String key) {
    return capacity == 0 ? null : entries.get(key);
  }

  void put(String key, float[] vector) {
    if (capacity > 0) {
      entries.put(key, vector);
    }
  }

  int size() {
    return entries.size();
  }
}
