package dev.memgate.access.oidc;

import dev.memgate.access.AccessDenied;
import dev.memgate.access.AuthenticationUnavailable;
import dev.memgate.access.Authenticator;
import dev.memgate.access.Caller;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Accepts access tokens (JWTs) of one external authorization server, an OpenID Connect issuer such as Keycloak,
 * Auth0 or Entra ID: signed by one of the issuer's published keys ({@link IssuerKeys}), issued by it ({@code iss}),
 * for Memgate ({@code aud} contains the configured audience, RFC 8707), and current ({@code exp}, which is required,
 * and {@code nbf}, with a small leeway). The caller a token stands for acts for the one user named by the configured
 * claim, belongs to the app of {@code azp} / {@code client_id}, and may do what its scopes grant ({@link Scopes}).
 *
 * <p>Every refusal is the same 401 to the client, whatever was wrong; the reason is logged at debug level, without
 * the token. An issuer whose keys cannot be fetched makes token requests fail with
 * {@link AuthenticationUnavailable} (503), never wait.
 *
 * <p>A client sends the same token with every request until it expires, and checking a signature costs far more
 * than the rest of a request's authentication (about 0.1 ms for RS256 and 1 ms for ES256 on a small server): a token
 * once verified is remembered, by its SHA-256 digest (never the token itself), until it expires or the issuer's
 * keys change, at most {@value #REMEMBERED} of them.
 */
public final class TokenAuthenticator implements Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(TokenAuthenticator.class);
  static final int REMEMBERED = 10_000;

  private final OidcConfig config;
  private final IssuerKeys keys;
  /** Verified tokens by digest, least recently used first; valid for {@link #rememberedFor} only. */
  private final Map<String, Caller> verified = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Caller> eldest) {
      return size() > REMEMBERED;
    }
  };
  private IssuerKeys.Keys rememberedFor;

  private TokenAuthenticator(OidcConfig config, IssuerKeys keys) {
    this.config = config;
    this.keys = keys;
  }

  /**
   * Starts fetching the issuer's keys at once (in the background: an issuer that is away does not stop Memgate from
   * starting). Call on the event loop that will use it.
   */
  public static TokenAuthenticator start(Vertx vertx, OidcConfig config) {
    return start(vertx, config, System::currentTimeMillis);
  }

  static TokenAuthenticator start(Vertx vertx, OidcConfig config, LongSupplier clock) {
    IssuerKeys keys = new IssuerKeys(vertx, config, clock);
    keys.start();
    return new TokenAuthenticator(config, keys);
  }

  public void close() {
    keys.close();
  }

  @Override
  public Future<Caller> authenticate(String token) {
    TokenHeader header = TokenHeader.of(token);
    if (header == null) {
      return refused("not a signed JWT with an accepted algorithm");
    }
    return keys.current().compose(current -> {
      String digest = digest(token);
      Caller remembered = current == rememberedFor ? verified.get(digest) : null;
      if (remembered != null && !remembered.expired(Instant.now())) {
        return Future.succeededFuture(remembered);
      }
      return (header.kid() == null || current.kids().contains(header.kid()) ? Future.succeededFuture(current)
        : keys.afterUnknownKey())
        .compose(known -> {
          if (header.kid() != null && !known.kids().contains(header.kid())) {
            return refused("signed with a key the issuer does not publish");
          }
          return known.verifier().authenticate(new TokenCredentials(token))
            .recover(failed -> refused("rejected by the verifier (" + failed.getMessage() + ")"))
            .compose(this::callerOf)
            .onSuccess(caller -> remember(known, digest, caller));
        });
    });
  }

  /** Keeps a verified token's caller, forgetting every token verified with keys the issuer has since replaced. */
  private void remember(IssuerKeys.Keys with, String digest, Caller caller) {
    if (with != rememberedFor) {
      verified.clear();
      rememberedFor = with;
    }
    verified.put(digest, caller);
  }

  private static String digest(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private Future<Caller> callerOf(User user) {
    // Vert.x keeps the verified claims under "accessToken" (and the token itself in the principal: never logged).
    JsonObject claims = user.attributes().getJsonObject("accessToken", new JsonObject());
    if (!(claims.getValue("exp") instanceof Number expires)) {
      return refused("no exp claim");
    }
    if (!(claims.getValue("sub") instanceof String subject) || subject.isBlank()) {
      return refused("no sub claim");
    }
    if (!(claims.getValue(config.userClaim()) instanceof String userId) || userId.isBlank()) {
      return refused("no " + config.userClaim() + " claim naming the user");
    }
    String app = claims.getValue("azp") instanceof String azp ? azp
      : claims.getValue("client_id") instanceof String clientId ? clientId : null;
    // Subjects are unique per issuer only (OpenID Connect Core, 2): the id carries both, and never the token.
    String id = subject + "@" + config.issuer();
    return Future.succeededFuture(new Caller(id, Caller.Kind.TOKEN, userId.strip(), app, Set.of(userId.strip()),
      null, Scopes.permissionsOf(claims), null, Instant.ofEpochSecond(expires.longValue())));
  }

  private static <T> Future<T> refused(String reason) {
    LOG.debug("token refused: {}", reason);
    return Future.failedFuture(AccessDenied.unauthenticated("invalid token"));
  }
}
