package dev.memgate.access.oidc;

import dev.memgate.access.AuthenticationUnavailable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The issuer's signing keys as last fetched: its JWKS (from {@code jwks_uri}, or from the location its OpenID Connect
 * discovery document gives), fetched at start, every {@code refreshSeconds}, and again when a token names a key not
 * in the set (a rotation), but never more often than once per {@code minRefetchSeconds} for that reason, so forged
 * tokens cannot turn Memgate into a flood against the issuer. Fetches that overlap share one request. A fetch that
 * fails keeps the keys already known: an issuer that is away for a while does not lock out tokens it signed before.
 *
 * <p>Lives on one event loop (the listener's): nothing here is shared between threads.
 */
final class IssuerKeys {
  private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);
  /** Larger documents are not a JWKS any issuer publishes: refused rather than parsed. */
  static final int MAX_DOCUMENT_BYTES = 512 * 1024;
  private static final Set<String> SIGNING_KEY_TYPES = Set.of("RSA", "EC", "OKP");

  private final Vertx vertx;
  private final OidcConfig config;
  private final WebClient client;
  private final LongSupplier clock;
  private String jwksUri;
  private Keys keys;
  private Future<Keys> fetching;
  private long lastFetchStartedMillis = Long.MIN_VALUE / 2;
  private long refreshTimer = -1;

  /** A snapshot of the issuer's keys: a verifier for them and the key ids it knows. */
  record Keys(JWTAuth verifier, Set<String> kids, int count) {
  }

  IssuerKeys(Vertx vertx, OidcConfig config, LongSupplier clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    this.jwksUri = config.jwksUri().isEmpty() ? null : config.jwksUri();
    this.client = WebClient.create(vertx, new WebClientOptions()
      .setConnectTimeout(config.fetchTimeoutMs())
      .setIdleTimeout(config.fetchTimeoutMs())
      .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
      .setUserAgent("memgate")
      .setFollowRedirects(true));
  }

  /** Fetches the keys now and then every {@code refreshSeconds}; a failure is logged, not fatal. */
  void start() {
    fetch();
    refreshTimer = vertx.setPeriodic(config.refreshSeconds() * 1_000L, id -> fetch());
  }

  void close() {
    if (refreshTimer >= 0) {
      vertx.cancelTimer(refreshTimer);
    }
    client.close();
  }

  /**
   * The keys known, fetching them first when there are none yet (at most once per {@code minRefetchSeconds}).
   *
   * @return the keys, or a future failed with {@link AuthenticationUnavailable} when none could be fetched
   */
  Future<Keys> current() {
    if (keys != null) {
      return Future.succeededFuture(keys);
    }
    if (fetching == null && !refetchAllowed()) {
      return Future.failedFuture(unavailable());
    }
    return fetch();
  }

  /**
   * For a token that names a key id the set lacks: fetches again unless that was done within
   * {@code minRefetchSeconds}, and answers the keys known afterwards (perhaps still without that key).
   */
  Future<Keys> afterUnknownKey() {
    if (fetching == null && !refetchAllowed()) {
      return current();
    }
    return fetch().recover(failed -> current());
  }

  private boolean refetchAllowed() {
    return clock.getAsLong() - lastFetchStartedMillis >= config.minRefetchSeconds() * 1_000L;
  }

  private AuthenticationUnavailable unavailable() {
    return new AuthenticationUnavailable("the authorization server's signing keys cannot be fetched right now");
  }

  /** One fetch at a time: a caller that arrives while one runs gets its outcome. */
  private Future<Keys> fetch() {
    if (fetching != null) {
      return fetching;
    }
    lastFetchStartedMillis = clock.getAsLong();
    Promise<Keys> done = Promise.promise();
    fetching = done.future();
    jwksLocation()
      .compose(uri -> get(uri, "JWKS"))
      .map(this::keysOf)
      // One deadline for the whole fetch (discovery and keys), whatever the connection does.
      .timeout(2L * config.fetchTimeoutMs(), TimeUnit.MILLISECONDS)
      .onComplete(outcome -> {
        fetching = null;
        if (outcome.succeeded()) {
          if (keys == null || !keys.kids().equals(outcome.result().kids())) {
            LOG.info("{} signing key(s) of {} loaded", outcome.result().count(), config.issuer());
          }
          keys = outcome.result();
          done.complete(keys);
        } else {
          LOG.warn("cannot fetch the signing keys of {}: {}{}", config.issuer(), outcome.cause().getMessage(),
            keys == null ? "; its tokens are refused with 503 until it can" : "; the keys fetched before stay in use");
          done.fail(unavailable());
        }
      });
    return done.future();
  }

  /** The configured jwks_uri, else the one the discovery document names (remembered once read). */
  private Future<String> jwksLocation() {
    if (jwksUri != null) {
      return Future.succeededFuture(jwksUri);
    }
    return get(config.discoveryUri(), "discovery document").map(document -> {
      if (!config.issuer().equals(document.getString("issuer"))) {
        // OpenID Connect Discovery, section 4.3: a document that names another issuer must not be used.
        throw new IllegalStateException("its discovery document names another issuer");
      }
      if (!(document.getValue("jwks_uri") instanceof String uri) || uri.isBlank()) {
        throw new IllegalStateException("its discovery document has no jwks_uri");
      }
      jwksUri = uri;
      return uri;
    });
  }

  private Future<JsonObject> get(String uri, String what) {
    return client.getAbs(uri).putHeader("Accept", "application/json").send().map((HttpResponse<Buffer> response) -> {
      if (response.statusCode() != 200) {
        throw new IllegalStateException(what + " answered HTTP " + response.statusCode());
      }
      Buffer body = response.body();
      if (body == null || body.length() > MAX_DOCUMENT_BYTES) {
        throw new IllegalStateException(what + " is empty or larger than " + MAX_DOCUMENT_BYTES + " bytes");
      }
      try {
        return new JsonObject(body);
      } catch (RuntimeException e) {
        throw new IllegalStateException(what + " is not a JSON object");
      }
    });
  }

  /** The signing keys of a JWKS; keys for encryption, symmetric keys and keys Vert.x cannot read are left out. */
  private Keys keysOf(JsonObject jwks) {
    if (!(jwks.getValue("keys") instanceof JsonArray published)) {
      throw new IllegalStateException("the JWKS has no keys array");
    }
    List<JsonObject> signing = new ArrayList<>();
    Set<String> kids = new HashSet<>();
    for (Object entry : published) {
      if (entry instanceof JsonObject key && SIGNING_KEY_TYPES.contains(key.getString("kty"))
        && (key.getValue("use") == null || "sig".equals(key.getValue("use")))) {
        if (TokenHeader.ALGORITHMS.contains(key.getString("alg", defaultAlg(key)))) {
          signing.add(key);
          if (key.getValue("kid") instanceof String kid) {
            kids.add(kid);
          }
        }
      }
    }
    if (signing.isEmpty()) {
      // A verifier without keys would accept unsigned tokens (Vert.x's "unsecure" mode): never build one.
      throw new IllegalStateException("the JWKS holds no signing key Memgate can use");
    }
    JWTAuth verifier = JWTAuth.create(vertx, new JWTAuthOptions().setJwks(signing).setJWTOptions(new JWTOptions()
      .setLeeway(config.leewaySeconds())
      .setIssuer(config.issuer())
      .setAudience(List.of(config.audience()))));
    return new Keys(verifier, Set.copyOf(kids), signing.size());
  }

  /** The algorithm Vert.x assumes for a key that names none. */
  private static String defaultAlg(JsonObject key) {
    return switch (key.getString("kty")) {
      case "EC" -> "ES256";
      case "OKP" -> "EdDSA";
      default -> "RS256";
    };
  }
}
