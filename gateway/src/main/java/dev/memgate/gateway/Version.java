package dev.memgate.gateway;

/** The version in the jar's manifest, or "dev" when running from classes. */
public final class Version {
  private Version() {
  }

  public static String current() {
    String version = Version.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
