package dev.memgate.bench.startup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One way of launching the runtime as a user's machine launches it: {@code java <flags> -jar <jar> [--stdio]}.
 * Configurations differ by jar (this build, or an older one to compare with) and by flags (with or without the
 * ahead-of-time cache, another heap or collector).
 *
 * @param name  how the report names it
 * @param flags the JVM flags before {@code -jar}
 */
record LaunchConfiguration(String name, Path jar, List<String> flags) {

  LaunchConfiguration {
    flags = List.copyOf(flags);
  }

  /** The command line, with the JDK that runs the benchmark. */
  List<String> command(boolean stdio) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(flags);
    command.add("-jar");
    command.add(jar.toString());
    if (stdio) {
      command.add("--stdio");
    }
    return command;
  }

  /** The command as a person would type it, for the report. */
  String describe() {
    return "java " + String.join(" ", flags) + " -jar " + jar;
  }

  LaunchConfiguration withFlags(String newName, List<String> extra) {
    List<String> all = new ArrayList<>(flags);
    all.addAll(extra);
    return new LaunchConfiguration(newName, jar, all);
  }
}
