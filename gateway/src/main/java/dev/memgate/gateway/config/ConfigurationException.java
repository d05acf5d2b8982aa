package dev.memgate.gateway.config;

/** A setting that cannot work; its message is the one line printed before Memgate refuses to start. */
public final class ConfigurationException extends RuntimeException {
  public ConfigurationException(String message) {
    super(message);
  }
}
