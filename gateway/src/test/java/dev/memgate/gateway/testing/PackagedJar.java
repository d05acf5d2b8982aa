package dev.memgate.gateway.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The runnable jar that {@code package} built ({@code gateway/target/memgate.jar}), for integration tests that start
 * Memgate as a separate process the way a desktop app does. Failsafe passes its path in {@code memgate.jar}.
 */
public final class PackagedJar {
  private PackagedJar() {
  }

  public static Path path() {
    String configured = System.getProperty("memgate.jar");
    if (configured == null || !Files.isRegularFile(Path.of(configured))) {
      throw new IllegalStateException("the packaged jar is missing (" + configured + "): integration tests run "
        + "after `package`, e.g. with `mvn verify`");
    }
    return Path.of(configured);
  }

  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** {@code java <flags> -jar memgate.jar --stdio}, with the flags gateway/bin/memgate uses. */
  public static List<String> stdioCommand() {
    List<String> command = new ArrayList<>(List.of(java(), "--add-modules", "jdk.incubator.vector",
      "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-jar", path().toString(), "--stdio"));
    return command;
  }
}
