package dev.memgate.access;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialsShapeTest {

  @Test
  void keysAndTokensAreToldApartByShape() {
    assertThat(StoredKeyShape.looksLikeKey("mgk_7hq2_x")).isTrue();
    assertThat(StoredKeyShape.looksLikeKey("mgk__x")).isFalse();
    assertThat(StoredKeyShape.looksLikeKey("sk-live-123")).isFalse();
    assertThat(StoredKeyShape.looksLikeJwt("aaa.bbb.ccc")).isTrue();
    assertThat(StoredKeyShape.looksLikeJwt("aaa.bbb")).isFalse();
    assertThat(StoredKeyShape.looksLikeJwt("aaa.bbb.ccc.ddd")).isFalse();
    assertThat(StoredKeyShape.looksLikeJwt("aaa..ccc")).isFalse();
    assertThat(StoredKeyShape.looksLikeJwt("a a.bbb.ccc")).isFalse();
  }

  @Test
  void permissionsHaveStableWireNamesAndAnUnknownOneIsNamed() {
    assertThat(Permission.fromWire("delete")).isEqualTo(Permission.DELETE);
    assertThatThrownBy(() -> Permission.fromWire("root")).hasMessageContaining("'root'");
  }
}
