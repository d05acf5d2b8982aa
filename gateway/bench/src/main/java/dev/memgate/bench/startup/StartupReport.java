package dev.memgate.bench.startup;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Every launch of a run, summarised per configuration, data directory and mode as median, minimum and maximum,
 * with each median's ratio to the first configuration's (measured in the same run, launches interleaved, so the
 * machine's load weighs on all of them alike).
 */
final class StartupReport {
  private final List<LaunchConfiguration> configurations;
  private final List<String> dataStates;
  private final List<String> modes;
  private final List<StartupSample> samples = new ArrayList<>();
  private final String machine;
  private final String dataNote;

  StartupReport(List<LaunchConfiguration> configurations, List<String> dataStates, List<String> modes,
                String machine, String dataNote) {
    this.configurations = configurations;
    this.dataStates = dataStates;
    this.modes = modes;
    this.machine = machine;
    this.dataNote = dataNote;
  }

  void add(StartupSample sample) {
    samples.add(sample);
  }

  /** The figures of one row. */
  record Row(String configuration, String data, String mode, int launches, Stats ready, Stats firstAnswer,
             Stats residentMb) {
  }

  /** Median, minimum and maximum; NaN when there is nothing to summarise. */
  record Stats(double median, double min, double max) {
    static Stats of(List<StartupSample> samples, ToDoubleFunction<StartupSample> value) {
      double[] values = samples.stream().mapToDouble(value).filter(v -> v >= 0).sorted().toArray();
      if (values.length == 0) {
        return new Stats(Double.NaN, Double.NaN, Double.NaN);
      }
      int n = values.length;
      double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
      return new Stats(median, values[0], values[n - 1]);
    }

    JsonObject toJson() {
      return new JsonObject().put("median", round(median)).put("min", round(min)).put("max", round(max));
    }
  }

  List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (String mode : modes) {
      for (String data : dataStates) {
        for (LaunchConfiguration configuration : configurations) {
          List<StartupSample> these = samples.stream().filter(s -> s.configuration().equals(configuration.name())
            && s.data().equals(data) && s.mode().equals(mode)).toList();
          if (!these.isEmpty()) {
            rows.add(new Row(configuration.name(), data, mode, these.size(), Stats.of(these, StartupSample::readyMs),
              Stats.of(these, StartupSample::firstAnswerMs), Stats.of(these, s -> s.residentBytes() < 0 ? -1
                : s.residentBytes() / 1048576.0)));
          }
        }
      }
    }
    return rows;
  }

  String render() {
    StringBuilder out = new StringBuilder();
    int runs = samples.stream().map(s -> s.configuration() + s.data() + s.mode()).distinct().count() == 0 ? 0
      : samples.size() / (int) samples.stream().map(s -> s.configuration() + s.data() + s.mode()).distinct().count();
    out.append(format("Memgate start-up: %d launches per row, interleaved over the rows%n", runs));
    out.append(format("  machine   %s%n", machine));
    out.append(format("  data      %s%n", dataNote));
    out.append("  configurations (ratios are to the first):\n");
    for (LaunchConfiguration configuration : configurations) {
      out.append(format("    %-22s %s%n", configuration.name(), configuration.describe()));
    }
    List<Row> rows = rows();
    for (String mode : modes) {
      out.append('\n');
      boolean http = mode.equals("http");
      out.append(http
        ? "over HTTP: ready = launch → GET /health 200 UP; first search = launch → first POST /search answered 200\n"
        : "over stdio: ready = launch → MCP initialize answered; first search = launch → tools/call search_memory "
          + "answered\n");
      String header = "%-16s %-22s | %-26s %6s | %-26s %6s | %s%n";
      out.append(format(header, "data", "configuration", "ready ms: median (min-max)", "ratio",
        "first search ms: median (min-max)", "ratio", http ? "RSS at ready MB" : "RSS after search MB"));
      for (String data : dataStates) {
        Row base = null;
        for (Row row : rows) {
          if (!row.mode().equals(mode) || !row.data().equals(data)) {
            continue;
          }
          if (base == null) {
            base = row;
          }
          out.append(format(header, data, row.configuration(), spread(row.ready()),
            ratio(row.ready(), base.ready()), spread(row.firstAnswer()), ratio(row.firstAnswer(), base.firstAnswer()),
            Double.isNaN(row.residentMb().median()) ? "unknown" : format("%.0f (%.0f-%.0f)",
              row.residentMb().median(), row.residentMb().min(), row.residentMb().max())));
        }
      }
    }
    return out.toString();
  }

  JsonObject toJson() {
    JsonArray configs = new JsonArray();
    configurations.forEach(c -> configs.add(new JsonObject().put("name", c.name()).put("command", c.describe())));
    JsonArray summary = new JsonArray();
    for (Row row : rows()) {
      summary.add(new JsonObject().put("configuration", row.configuration()).put("data", row.data())
        .put("mode", row.mode()).put("launches", row.launches()).put("ready_ms", row.ready().toJson())
        .put("first_answer_ms", row.firstAnswer().toJson()).put("resident_mb", row.residentMb().toJson()));
    }
    JsonArray all = new JsonArray();
    samples.stream().sorted(Comparator.comparing(StartupSample::mode).thenComparing(StartupSample::data))
      .forEach(s -> all.add(s.toJson()));
    return new JsonObject().put("machine", machine).put("data", dataNote).put("configurations", configs)
      .put("rows", summary).put("launches", all);
  }

  private static String spread(Stats stats) {
    return format("%.0f (%.0f-%.0f)", stats.median(), stats.min(), stats.max());
  }

  private static String ratio(Stats row, Stats base) {
    return format("%.2fx", row.median() / base.median());
  }

  private static Double round(double value) {
    return Double.isNaN(value) ? null : Math.round(value * 10) / 10.0;
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
