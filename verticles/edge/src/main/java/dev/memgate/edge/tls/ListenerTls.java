package dev.memgate.edge.tls;

import dev.memgate.edge.RefusalLog;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.shareddata.LocalMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.time.Instant;
import java.util.Locale;

/**
 * TLS for one listener ("rest" or "mcp"): the certificate it serves, the options that make its server speak HTTPS
 * and WSS (HTTP/2 through ALPN for clients that offer it, HTTP/1.1 for the others, client certificates when asked
 * for), and the reload of a renewed certificate without a restart.
 *
 * <p>Reload: every {@code reload_interval_ms} the files are read again on a worker thread; when their content
 * changed and the new pair passes {@link TlsMaterial#read}'s checks, the server's SSL options are replaced
 * ({@code HttpServer.updateSSLOptions}): new connections get the new certificate, open ones keep theirs. A new pair
 * that fails the checks is logged once (after it has looked the same at two checks in a row, so that a renewal whose
 * two files are written one after the other is not reported half-done) and the certificate in force stays.
 *
 * <p>A listener served by several verticle instances shares one server socket, which Vert.x updates as a whole: the
 * first instance to start watches for all of them, so a broken renewal is logged once, not once per instance.
 */
public final class ListenerTls {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerTls.class);
  private static final String SHARED_MAP = "memgate.tls";

  private final Vertx vertx;
  private final String listener;
  private final TlsSettings settings;
  private final long handshakeTimeoutMs;
  private TlsMaterial current;
  private long timer = -1;
  /** Whether this instance watches the files for its listener. */
  private boolean watcher;
  private boolean checking;
  private long reloads;
  /** A failed read seen at the last check, not yet logged; and the last one logged. */
  private String seenOnce;
  private String logged;

  private ListenerTls(Vertx vertx, String listener, TlsSettings settings, long handshakeTimeoutMs,
                      TlsMaterial material) {
    this.vertx = vertx;
    this.listener = listener;
    this.settings = settings;
    this.handshakeTimeoutMs = handshakeTimeoutMs;
    this.current = material;
  }

  /**
   * Reads the certificate (on a worker thread) when TLS is on.
   *
   * @param listener           "rest" or "mcp", for the log and /health
   * @param handshakeTimeoutMs how long a client may take to finish its handshake (the listener's header timeout:
   *                           a socket that never handshakes must not hold a descriptor longer than one that never
   *                           sends its headers)
   * @return fails with a {@link TlsProblem} when a file is missing, unreadable or wrong
   */
  public static Future<ListenerTls> prepare(Vertx vertx, String listener, TlsSettings settings,
                                            long handshakeTimeoutMs) {
    if (!settings.enabled()) {
      settings.checkCoherent();
      return Future.succeededFuture(new ListenerTls(vertx, listener, settings, handshakeTimeoutMs, null));
    }
    return vertx.executeBlocking(() -> TlsMaterial.read(settings))
      .map(material -> new ListenerTls(vertx, listener, settings, handshakeTimeoutMs, material));
  }

  public boolean enabled() {
    return current != null;
  }

  /** "https" or "http", for the URLs the start-up line shows. */
  public String scheme() {
    return enabled() ? "https" : "http";
  }

  /** The options with TLS on, when it is; untouched otherwise. */
  public HttpServerOptions configure(HttpServerOptions options) {
    if (!enabled()) {
      return options;
    }
    ServerSSLOptions ssl = sslOptions(current);
    options.setSsl(true)
      .setUseAlpn(true)
      .setKeyCertOptions(ssl.getKeyCertOptions())
      .setClientAuth(ssl.getClientAuth())
      .setSslHandshakeTimeout(ssl.getSslHandshakeTimeout())
      .setSslHandshakeTimeoutUnit(ssl.getSslHandshakeTimeoutUnit());
    if (ssl.getTrustOptions() != null) {
      options.setTrustOptions(ssl.getTrustOptions());
    }
    return options;
  }

  private ServerSSLOptions sslOptions(TlsMaterial material) {
    return material.sslOptions(settings, handshakeTimeoutMs);
  }

  /**
   * Logs failed handshakes (plain HTTP sent to the HTTPS port, a client certificate missing or from another CA, a
   * client that does not trust the certificate) as one rate-limited refusal line each, without the bytes the client
   * sent (a cleartext request may carry its credentials). Other connection failures stay at Vert.x's trace level.
   */
  public HttpServer logHandshakeFailures(HttpServer server) {
    if (!enabled()) {
      return server;
    }
    return server.exceptionHandler(failure -> {
      String reason = handshakeFailure(failure);
      if (reason != null) {
        RefusalLog.shared().refused(listener, "a client", "TLS handshake", 0, reason);
      } else {
        LOG.trace("{} connection failure", listener, failure);
      }
    });
  }

  static String handshakeFailure(Throwable failure) {
    Throwable cause = failure instanceof DecoderException && failure.getCause() != null ? failure.getCause() : failure;
    if (failure instanceof NotSslRecordException || cause instanceof NotSslRecordException) {
      return "not TLS (plain HTTP sent to the HTTPS port?)";
    }
    if (cause instanceof SSLException) {
      String message = String.valueOf(cause.getMessage());
      if (message.contains("Empty client certificate chain")) {
        return "no client certificate (tls.client_auth is required)";
      }
      if (causedBy(cause, CertPathBuilderException.class) || causedBy(cause, CertPathValidatorException.class)
        || message.contains("PKIX path")) {
        return "the client certificate is not signed by a CA of tls.client_ca_file (or has expired)";
      }
      return "TLS handshake failed: " + message;
    }
    return null;
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Once the server listens: shows the certificate in /health, warns when it has expired, and starts watching its
   * files (unless another instance of this listener already does all that, or reloading is off).
   */
  public void watch(HttpServer server) {
    if (!enabled()) {
      return;
    }
    LocalMap<String, Object> shared = vertx.sharedData().getLocalMap(SHARED_MAP);
    if (shared.putIfAbsent("watcher." + listener, Boolean.TRUE) != null) {
      return;
    }
    watcher = true;
    if (current.expired(Instant.now())) {
      LOG.warn("the TLS certificate of {} ({}) expired on {}: clients will refuse it", listener,
        current.describe().getString("subject"), current.describe().getString("not_after"));
    }
    publish(null);
    if (settings.reloadIntervalMs() > 0) {
      timer = vertx.setPeriodic(settings.reloadIntervalMs(), id -> check(server));
    }
  }

  /** Stops watching (the server's own close ends its connections). */
  public void stop() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (watcher) {
      watcher = false;
      LocalMap<String, Object> shared = vertx.sharedData().getLocalMap(SHARED_MAP);
      shared.remove("watcher." + listener);
      shared.remove(listener);
    }
  }

  private void check(HttpServer server) {
    if (checking) {
      return;
    }
    checking = true;
    vertx.executeBlocking(() -> TlsMaterial.read(settings))
      .compose(read -> read.digest().equals(current.digest()) ? Future.succeededFuture(false)
        : server.updateSSLOptions(sslOptions(read), true).map(updated -> {
          current = read;
          reloads++;
          return true;
        }))
      .onComplete(done -> {
        checking = false;
        if (done.succeeded()) {
          seenOnce = null;
          logged = null;
          if (done.result()) {
            JsonObject now = current.describe();
            LOG.info("{} now serves the renewed TLS certificate {} (serial {}, valid until {})", listener,
              now.getString("subject"), now.getString("serial"), now.getString("not_after"));
            publish(null);
          }
        } else {
          failed(done.cause());
        }
      });
  }

  private void failed(Throwable cause) {
    String reason = cause instanceof TlsProblem problem ? "tls." + problem.part().key() + " " + problem.getMessage()
      : "the server refused the new certificate (" + cause.getMessage() + ")";
    if (reason.equals(logged)) {
      return;
    }
    if (!reason.equals(seenOnce)) {
      // Maybe a renewal half-written: look again at the next check before saying anything.
      seenOnce = reason;
      return;
    }
    logged = reason;
    LOG.warn("{} keeps its TLS certificate (serial {}): the files changed but cannot be used: {}", listener,
      current.describe().getString("serial"), reason);
    publish(reason);
  }

  private void publish(String reloadError) {
    JsonObject status = current.describe()
      .put("client_auth", settings.clientAuth().name().toLowerCase(Locale.ROOT))
      .put("reload_interval_ms", settings.reloadIntervalMs())
      .put("reloads", reloads);
    if (reloadError != null) {
      status.put("reload_error", reloadError);
    }
    vertx.sharedData().getLocalMap(SHARED_MAP).put(listener, status);
  }

  /** For /health: each listener's certificate (subject, serial, not after; never the key), or DISABLED. */
  public static JsonObject health(Vertx vertx) {
    LocalMap<String, Object> shared = vertx.sharedData().getLocalMap(SHARED_MAP);
    JsonObject listeners = new JsonObject();
    for (String name : new String[] {"rest", "mcp"}) {
      if (shared.get(name) instanceof JsonObject status) {
        listeners.put(name, status);
      }
    }
    if (listeners.isEmpty()) {
      return new JsonObject().put("status", "DISABLED").put("reason", "no certificate configured (tls.cert_file): "
        + "the listeners speak plain HTTP");
    }
    return new JsonObject().put("status", "UP").mergeIn(listeners);
  }
}
