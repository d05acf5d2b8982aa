package dev.memgate.bench.startup;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code memgate bench --startup} end to end with one launch per row: real child processes over a fresh and a
 * seeded data directory, over HTTP and stdio. Checks that every row is measured and reported, not the values.
 */
class StartupBenchmarkTest {
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  private int bench(String... args) {
    return StartupBenchmark.execute(args, new PrintStream(stdout, true, StandardCharsets.UTF_8),
      new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  @Test
  void measuresEveryRowOverHttpAndStdioAndReportsItsFigures(@TempDir Path tmp) throws Exception {
    Path json = tmp.resolve("startup.json");

    int code = bench("--startup", "--runs", "1", "--memories", "20", "--runtime-jar", launcherJar(tmp).toString(),
      "--json", json.toString());

    assertThat(code).as(stderr.toString(StandardCharsets.UTF_8)).isZero();
    String table = stdout.toString(StandardCharsets.UTF_8);
    assertThat(table).contains("over HTTP", "over stdio", "ready ms: median (min-max)",
      "first search ms: median (min-max)", "RSS at ready MB", "fresh", "20 memories", "this build");

    JsonObject figures = new JsonObject(Files.readString(json));
    JsonArray rows = figures.getJsonArray("rows");
    assertThat(rows).hasSize(4);
    for (Object item : rows) {
      JsonObject row = (JsonObject) item;
      assertThat(row.getInteger("launches")).isEqualTo(1);
      assertThat(row.getJsonObject("ready_ms").getDouble("median")).as(row.encode()).isPositive();
      assertThat(row.getJsonObject("first_answer_ms").getDouble("median")).as(row.encode()).isPositive();
      if (new File("/proc/self/status").exists()) {
        assertThat(row.getJsonObject("resident_mb").getDouble("median")).as(row.encode()).isPositive();
      }
    }
    assertThat(rows.stream().map(r -> ((JsonObject) r).getString("mode")).distinct()).containsExactly("http",
      "stdio");
    assertThat(figures.getJsonArray("launches")).hasSize(4);
  }

  @Test
  void aBadOptionIsRefusedNamingIt() {
    assertThat(bench("--startup", "--mode", "carrier-pigeon")).isEqualTo(2);
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("--mode must be http, stdio or both");
    assertThat(bench("--startup", "--runs", "0")).isEqualTo(2);
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("--runs must be at least 1");
  }

  /**
   * A runtime jar as the build lays it out (classes found through its manifest's Class-Path), pointing at this
   * test's class path, so that the benchmark launches {@code java -jar} on what this build compiled.
   */
  private static Path launcherJar(Path dir) throws IOException {
    Manifest manifest = new Manifest();
    Attributes attributes = manifest.getMainAttributes();
    attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    attributes.put(Attributes.Name.MAIN_CLASS, "dev.memgate.gateway.Main");
    attributes.put(Attributes.Name.CLASS_PATH, Arrays.stream(System.getProperty("java.class.path")
        .split(File.pathSeparator)).map(entry -> new File(entry).toURI().toString())
      .collect(Collectors.joining(" ")));
    Path jar = dir.resolve("memgate.jar");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.flush();
    }
    return jar;
  }
}
