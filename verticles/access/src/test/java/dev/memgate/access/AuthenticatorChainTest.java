package dev.memgate.access;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticatorChainTest {
  private static final Caller ALICE = new Caller("k1", Caller.Kind.KEY, "alice's laptop", "cursor", Set.of("alice"),
    null, EnumSet.of(Permission.READ, Permission.WRITE), 120, Instant.parse("2027-01-01T00:00:00Z"));

  @Test
  void withNothingConfiguredEveryRequestIsTheOpenCallerEvenWithoutACredential() {
    AuthenticatorChain open = AuthenticatorChain.open();
    assertThat(open.requiresCredential()).isFalse();
    assertThat(open.authenticate(null).result()).isEqualTo(Caller.OPEN);
  }

  @Test
  void theBootstrapKeyIsRecognisedAndAnyOtherSecretIsRefusedWith401() {
    AuthenticatorChain chain = new AuthenticatorChain(new BootstrapKey("s3cret-operator-key"), null, null);
    assertThat(chain.authenticate("s3cret-operator-key").result()).isEqualTo(Caller.BOOTSTRAP);
    assertThat(status(chain.authenticate("s3cret-operator-keY"))).isEqualTo(401);
    assertThat(status(chain.authenticate(null))).isEqualTo(401);
    assertThat(status(chain.authenticate(""))).isEqualTo(401);
  }

  @Test
  void eachCredentialGoesOnlyToTheAuthenticatorOfItsShape() {
    AtomicInteger keyLookups = new AtomicInteger();
    AtomicInteger tokenChecks = new AtomicInteger();
    AuthenticatorChain chain = new AuthenticatorChain(new BootstrapKey("boot"), secret -> {
      keyLookups.incrementAndGet();
      return Future.succeededFuture(ALICE);
    }, secret -> {
      tokenChecks.incrementAndGet();
      return Future.failedFuture(AccessDenied.unauthenticated("bad signature"));
    });
    assertThat(chain.authenticate("mgk_abc123_secretpart").result()).isEqualTo(ALICE);
    assertThat(status(chain.authenticate("eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl"))).isEqualTo(401);
    assertThat(status(chain.authenticate("neither-a-key-nor-a-token"))).isEqualTo(401);
    assertThat(status(chain.authenticate("mgk_"))).isEqualTo(401);
    assertThat(keyLookups).hasValue(1);
    assertThat(tokenChecks).hasValue(1);
  }

  @Test
  void aCallerCrossesTheBusWithoutLosingItsScopeAndNeverCarriesASecret() {
    Caller back = Caller.fromJson(ALICE.toJson());
    assertThat(back).isEqualTo(ALICE);
    assertThat(back.soleUser()).isEqualTo("alice");
    assertThat(back.allowsUser("bob")).isFalse();
    assertThat(back.may(Permission.DELETE)).isFalse();
    assertThat(back.expired(Instant.parse("2027-01-01T00:00:00Z"))).isTrue();
    assertThat(Caller.fromJson(Caller.BOOTSTRAP.toJson()).anyUser()).isTrue();
    assertThat(ALICE.limitKey()).isEqualTo("key:k1");
  }

  private static int status(Future<Caller> outcome) {
    assertThat(outcome.failed()).isTrue();
    return ((AccessDenied) outcome.cause()).status();
  }
}
