package dev.memgate.contract;

/** Names the service behind a bus address, for messages such as "embedding service not running". */
final class ServiceNames {
  private ServiceNames() {
  }

  /** Vert.x says "No handlers for address memgate.embedding.embed"; the service is the second dotted part. */
  static String ofAddressMessage(String message) {
    if (message == null) {
      return null;
    }
    int at = message.indexOf("memgate.");
    if (at < 0) {
      return null;
    }
    String[] parts = message.substring(at).split("[.\\s]");
    return parts.length > 1 ? parts[1] : null;
  }
}
