package dev.memgate.edge.tls;

/**
 * A TLS setting that cannot work (a missing or unreadable file, a key that is not the certificate's), with the
 * setting it is about: the composition root turns it into the one line that stops start-up, and the reloader into
 * the one line that says why a renewed certificate was not taken.
 */
public final class TlsProblem extends RuntimeException {
  private final TlsSettings.Part part;

  public TlsProblem(TlsSettings.Part part, String message) {
    super(message, null, false, false);
    this.part = part;
  }

  public TlsSettings.Part part() {
    return part;
  }
}
