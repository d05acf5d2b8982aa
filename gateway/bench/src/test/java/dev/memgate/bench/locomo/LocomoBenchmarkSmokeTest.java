package dev.memgate.bench.locomo;

import dev.memgate.bench.locomo.LocomoBenchmark;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code memgate locomo} end to end on a five-turn conversation in LoCoMo's format: it starts the service, loads the
 * turns over HTTP, asks every question, and writes the table as JSON. The quality figures themselves come from the
 * command on the real data set, not from tests.
 */
class LocomoBenchmarkSmokeTest {

  @Test
  void theCommandLoadsAConversationAsksEveryQuestionAndWritesTheScores(@TempDir Path out) throws Exception {
    Path report = out.resolve("locomo.json");

    LocomoBenchmark.main(new String[] {"--data", resource("locomo-mini.json").toString(), "--split", "tune",
      "--mode", "hybrid", "--json", report.toString()});

    JsonObject json = new JsonObject(Files.readString(report));
    assertThat(json.getString("mode")).isEqualTo("hybrid");
    assertThat(json.containsKey("holdout")).isFalse();
    JsonObject tune = json.getJsonObject("tune");
    assertThat(tune.getInteger("turns")).isEqualTo(5);
    assertThat(tune.getInteger("questions")).isEqualTo(5);
    assertThat(tune.getDouble("search_p95_ms")).isPositive();
    JsonObject scores = tune.getJsonObject("scores");
    // the question without evidence is asked but not scored; the adversarial one counts in "all" only
    assertThat(scores.getJsonObject("all").getInteger("questions")).isEqualTo(4);
    assertThat(scores.getJsonObject("1-4").getInteger("questions")).isEqualTo(3);
    assertThat(scores.getJsonObject("5 adversarial").getInteger("questions")).isEqualTo(1);
    // five turns, fifty results: every evidence turn, malformed ids included ("D:2:01", "D2:2; D1:1"), is found
    assertThat(scores.getJsonObject("all").getDouble("recall@50")).isCloseTo(1.0, within(1e-9));
    assertThat(scores.getJsonObject("all").getDouble("hit@50")).isCloseTo(1.0, within(1e-9));
    // two evidence turns cannot both be in the first place
    assertThat(scores.getJsonObject("1 multi-hop").getDouble("recall@1")).isLessThanOrEqualTo(0.5);
    assertThat(scores.getJsonObject("all").getDouble("mrr")).isBetween(0.25, 1.0);
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(LocomoBenchmarkSmokeTest.class.getClassLoader().getResource(name).toURI());
  }
}
