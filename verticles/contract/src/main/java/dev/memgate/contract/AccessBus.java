package dev.memgate.contract;

/**
 * The access service: API keys (stored as hashes, in the configured store, so every node sees the same ones) and the
 * audit log of admin actions, key failures and erasures. The admin API and {@code memgate keys} call it; both
 * listeners ask it for a key they have not seen in the last second.
 */
public final class AccessBus {
  /**
   * {name, users?:[..], agents?:[..], app?, permissions:[read|write|delete|admin], expires_at?, requests_per_minute?}
   * → {key: key view, secret}. The secret is answered here once and never again.
   */
  public static final String CREATE_KEY = "memgate.access.keys.create";
  /** {} → {results:[key view]}: every key, revoked ones included, never a secret or a hash. */
  public static final String LIST_KEYS = "memgate.access.keys.list";
  /** {key_id} → key view. */
  public static final String GET_KEY = "memgate.access.keys.get";
  /** {key_id} → {key: key view, secret}: a new secret for the same key; the old one stops working. */
  public static final String ROTATE_KEY = "memgate.access.keys.rotate";
  /** {key_id} → key view, revoked. */
  public static final String REVOKE_KEY = "memgate.access.keys.revoke";
  /**
   * {key_id} → {key: the stored key with its secret's hash, app?: its app}, for the listeners' check; not for the
   * admin API.
   */
  public static final String LOOKUP_KEY = "memgate.access.keys.lookup";
  /**
   * Published (to every node) when a key changes: {key_id}, or an app: {app}. Listeners drop what they remember
   * about that key (or every key of that app), so a revocation or a pause takes effect at once; they also forget
   * every key after a second, should a publication be lost.
   */
  public static final String KEY_CHANGED = "memgate.access.keys.changed";
  /**
   * {} → {results:[{name, paused, memory_access: all|own, created_at, last_used_at}]}: every app a key has named,
   * by name.
   */
  public static final String LIST_APPS = "memgate.access.apps.list";
  /** {app_name, paused?, memory_access?} → the app as it now is; audited, and published on KEY_CHANGED. */
  public static final String UPDATE_APP = "memgate.access.apps.update";
  /**
   * {app, at} → {}: a key of the app was used at {@code at}. Sent without waiting for the answer, at most once a
   * minute per app by each listener, so that no request waits for it.
   */
  public static final String APP_USED = "memgate.access.apps.used";
  /** {action, actor, outcome, address?, target?, detail?} → {}: one line of the audit log. */
  public static final String AUDIT = "memgate.access.audit.append";
  /** {limit?, before?} → {results:[entry]}: newest first. */
  public static final String AUDIT_LOG = "memgate.access.audit.list";
  public static final String HEALTH = "memgate.access.health";

  /** The client address an admin request came from, for the audit log; set by the edge. */
  public static final String ADDRESS = "_address";

  public static final long TIMEOUT_MS = 10_000;

  private AccessBus() {
  }
}
