package dev.memgate.bench.startup;

import io.vertx.core.json.JsonObject;

/**
 * One launch: which configuration, over which data directory, spoken to how, and what it measured.
 *
 * @param readyMs       launch → {@code /health} 200 UP (HTTP), or → the answer to {@code initialize} (stdio)
 * @param firstAnswerMs launch → the first search answered (HTTP {@code POST /search}, stdio {@code search_memory})
 * @param residentBytes resident memory when ready (HTTP) or after the first search (stdio); -1 when unknown
 */
record StartupSample(String configuration, String data, String mode, double readyMs, double firstAnswerMs,
                     long residentBytes) {

  JsonObject toJson() {
    return new JsonObject().put("configuration", configuration).put("data", data).put("mode", mode)
      .put("ready_ms", Math.round(readyMs * 10) / 10.0).put("first_answer_ms", Math.round(firstAnswerMs * 10) / 10.0)
      .put("resident_bytes", residentBytes);
  }
}
