package dev.memgate.access.oidc;

import dev.memgate.access.Permission;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScopesTest {

  @Test
  void memgateScopesGrantExactlyTheirPermissionsAndNoneGrantsReadAndWrite() {
    assertThat(Scopes.permissionsOf(new JsonObject().put("scope", "openid memories:read")))
      .containsExactly(Permission.READ);
    assertThat(Scopes.permissionsOf(new JsonObject().put("scp", new JsonArray().add("memories:delete"))))
      .containsExactly(Permission.DELETE);
    assertThat(Scopes.permissionsOf(new JsonObject().put("scope", "openid profile")))
      .containsExactlyInAnyOrder(Permission.READ, Permission.WRITE);
    assertThat(Scopes.permissionsOf(new JsonObject().put("scope", "memories:admin memories:write")))
      .containsExactly(Permission.WRITE);
  }

  @Test
  void onlySignedTokensWithAnAsymmetricAlgorithmGetPastTheHeader() {
    assertThat(TokenHeader.of(jwt("{\"alg\":\"RS256\",\"kid\":\"a\"}", "sig"))).isEqualTo(new TokenHeader("RS256", "a"));
    assertThat(TokenHeader.of(jwt("{\"alg\":\"none\"}", "sig"))).isNull();
    assertThat(TokenHeader.of(jwt("{\"alg\":\"RS256\"}", ""))).isNull();
    assertThat(TokenHeader.of(jwt("{\"alg\":\"HS256\"}", "sig"))).isNull();
    assertThat(TokenHeader.of(jwt("{\"alg\":\"ES256\",\"crit\":[\"exp\"]}", "sig"))).isNull();
    assertThat(TokenHeader.of("not.a.jwt")).isNull();
  }

  private static String jwt(String header, String signature) {
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(header.getBytes()) + "." + b64.encodeToString("{}".getBytes()) + "."
      + (signature.isEmpty() ? "" : b64.encodeToString(signature.getBytes()));
  }
}
