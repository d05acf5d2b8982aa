package dev.memgate.edge;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which browser origins may call, as the default and hand-written patterns say. */
class OriginPolicyTest {
  private final OriginPolicy loopback = OriginPolicy.of(List.of("http://localhost:*", "http://127.0.0.1:*",
    "http://[::1]:*", "https://localhost:*"));

  @Test
  void loopbackPagesOnAnyPortAreAllowed() {
    assertThat(loopback.allows("http://localhost:5173")).isTrue();
    assertThat(loopback.allows("http://LOCALHOST:3000")).isTrue();
    assertThat(loopback.allows("http://127.0.0.1")).isTrue();
    assertThat(loopback.allows("http://[::1]:8080")).isTrue();
    assertThat(loopback.allows("https://localhost")).isTrue();
  }

  @Test
  void everythingElseIsRefused() {
    assertThat(loopback.allows("http://evil.example")).isFalse();
    assertThat(loopback.allows("http://localhost.evil.example")).isFalse();
    assertThat(loopback.allows("https://127.0.0.1:8443")).isFalse();
    assertThat(loopback.allows("null")).isFalse();
    assertThat(loopback.allows("http://localhost:5173/path")).isFalse();
    assertThat(loopback.allows("not a url")).isFalse();
  }

  @Test
  void aRequestWithoutOriginIsNotFromABrowserPage() {
    assertThat(loopback.allows(null)).isTrue();
  }

  @Test
  void exactPortsAndTheWildcardWork() {
    OriginPolicy exact = OriginPolicy.of(List.of("https://app.example.com", "http://localhost:3000"));
    assertThat(exact.allows("https://app.example.com")).isTrue();
    assertThat(exact.allows("https://app.example.com:443")).isTrue();
    assertThat(exact.allows("http://localhost:3000")).isTrue();
    assertThat(exact.allows("http://localhost:3001")).isFalse();
    assertThat(OriginPolicy.of(List.of("*")).allows("https://anything.example")).isTrue();
  }

  @Test
  void aPatternThatIsNotAnOriginIsRefusedAtStartUp() {
    assertThatThrownBy(() -> OriginPolicy.of(List.of("localhost:3000"))).hasMessageContaining("localhost:3000");
    assertThatThrownBy(() -> OriginPolicy.of(List.of("http://host/path"))).isInstanceOf(IllegalArgumentException.class);
  }
}
