package dev.memgate.gateway.http;

import dev.memgate.access.AccessDenied;
import dev.memgate.access.AuthenticationUnavailable;
import dev.memgate.access.AuthenticatorChain;
import dev.memgate.access.Caller;
import dev.memgate.access.Credentials;
import dev.memgate.access.RefusalAudit;
import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailureException;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

import java.util.Set;

/**
 * Finds who a request comes from before anything reads its body, so an unauthenticated client cannot make us buffer
 * one: the credential ({@link Credentials}) goes to the authenticators, and the {@link Caller} they answer is kept on
 * the request for the operations. Refused: 401 (or 403) problem+json (503 when an external authorization server's
 * keys cannot be fetched to check a token), except that {@code GET /health} (and {@code /health/live},
 * {@code /health/ready}) still answers its bare status, for load balancers.
 */
final class Authentication implements PlatformHandler {
  static final String BARE_HEALTH = "memgate.bare-health";
  /** What load balancers and orchestrators ask without a credential: each answers only a status then. */
  private static final Set<String> BARE_HEALTH_PATHS = Set.of("/health", "/health/live", "/health/ready");

  private final AuthenticatorChain authenticators;
  private final RefusalAudit refusals;

  Authentication(AuthenticatorChain authenticators, RefusalAudit refusals) {
    this.authenticators = authenticators;
    this.refusals = refusals;
  }

  @Override
  public void handle(RoutingContext rc) {
    // A key may need a lookup on the bus: until it is answered, the body stays unread (the body handler resumes the
    // request), so that nothing of it is lost and nothing is buffered for a caller who may be refused.
    if (!rc.request().isEnded()) {
      rc.request().pause();
    }
    String credential = Credentials.presented(rc.request());
    authenticators.authenticate(credential).onComplete(done -> {
      if (done.succeeded()) {
        rc.put(Caller.CONTEXT_KEY, done.result());
        rc.next();
        return;
      }
      if (rc.request().method() == HttpMethod.GET && BARE_HEALTH_PATHS.contains(rc.request().path())) {
        rc.put(BARE_HEALTH, true);
        rc.next();
        return;
      }
      if (done.cause() instanceof AuthenticationUnavailable) {
        // The token may be fine: the issuer's keys cannot be fetched to tell. Memgate keys are not affected.
        rc.response().putHeader("Retry-After", "5");
        Problems.send(rc, Problems.of(BusError.UNAVAILABLE, "the authorization server's signing keys cannot be "
          + "fetched right now, so tokens cannot be checked; try again shortly"));
        return;
      }
      if (done.cause() instanceof BusFailureException unavailable) {
        // The keys could not be looked up (the access service or its store is down): say so, fast.
        Problems.send(rc, Problems.fromBus(unavailable.failure()));
        return;
      }
      int status = done.cause() instanceof AccessDenied denied ? denied.status() : 401;
      if (credential != null) {
        refusals.refused(credential, rc.request().remoteAddress() == null ? null
          : rc.request().remoteAddress().hostAddress(), done.cause().getMessage());
      }
      if (status == 401) {
        rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"memgate\"");
        Problems.send(rc, Problems.of(BusError.UNAUTHORIZED, "this Memgate needs an API key: send X-API-Key: <key> "
          + "or Authorization: Bearer <key>"));
        return;
      }
      Problems.send(rc, Problems.of(BusError.FORBIDDEN, done.cause().getMessage()));
    });
  }
}
