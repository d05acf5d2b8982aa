package dev.memgate.access;

import dev.memgate.access.keys.KeySecrets;
import dev.memgate.contract.AccessBus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Writes refused credentials to the audit log: which listener, from where, and the key's id when the credential
 * was shaped like a key, never the credential itself. A flood of bad credentials must not become a flood of writes,
 * so at most {@value #PER_SECOND} refusals per second are recorded per listener instance, and the rest are counted
 * into the next entry.
 */
public final class RefusalAudit {
  static final int PER_SECOND = 20;

  private final Vertx vertx;
  private final String listener;
  private long windowStart;
  private int inWindow;
  private long skipped;

  public RefusalAudit(Vertx vertx, String listener) {
    this.vertx = vertx;
    this.listener = listener;
  }

  /** Called on the listener's event loop for a request whose credential was refused. */
  public void refused(String credential, String address, String reason) {
    long now = System.nanoTime();
    if (now - windowStart > 1_000_000_000L) {
      windowStart = now;
      inWindow = 0;
    }
    if (++inWindow > PER_SECOND) {
      skipped++;
      return;
    }
    String keyId = KeySecrets.idOf(credential);
    String detail = credential == null ? "no credential" : reason;
    if (skipped > 0) {
      detail += " (and " + skipped + " more refusals not recorded one by one)";
      skipped = 0;
    }
    vertx.eventBus().send(AccessBus.AUDIT, new JsonObject()
      .put("action", "auth.refused")
      .put("actor", keyId == null ? "unknown" : "key:" + keyId)
      .put("outcome", "refused")
      .put("address", address)
      .put("target", listener)
      .put("detail", detail));
  }
}
