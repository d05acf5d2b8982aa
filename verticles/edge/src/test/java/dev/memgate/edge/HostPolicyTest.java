package dev.memgate.edge;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which Host headers a listener answers: the defence against DNS rebinding. */
class HostPolicyTest {
  @Test
  void boundToLoopbackOnlyTheLoopbackNamesAreAnswered() {
    HostPolicy loopback = HostPolicy.of(List.of(), "127.0.0.1");
    assertThat(loopback.allows("localhost:8080")).isTrue();
    assertThat(loopback.allows("127.0.0.1")).isTrue();
    assertThat(loopback.allows("[::1]:8765")).isTrue();
    assertThat(loopback.allows("LOCALHOST.:8080")).isTrue();
    assertThat(loopback.allows("evil.example:8080")).isFalse();
    assertThat(loopback.allows("localhost.evil.example")).isFalse();
    assertThat(loopback.allows(null)).isFalse();
    assertThat(loopback.allows("")).isFalse();
  }

  @Test
  void malformedHostsAreRefusedWhateverTheList() {
    HostPolicy any = HostPolicy.of(List.of("*"), "0.0.0.0");
    assertThat(any.allows("memgate.internal:8080")).isTrue();
    assertThat(any.allows("localhost:99999")).isFalse();
    assertThat(any.allows("localhost:80x")).isFalse();
    assertThat(any.allows("user@localhost")).isFalse();
    assertThat(any.allows("[::1")).isFalse();
    assertThat(any.allows("a b")).isFalse();
  }

  @Test
  void boundBeyondLoopbackWithNoListAnyHostIsAnsweredAndAListIsExact() {
    assertThat(HostPolicy.of(List.of(), "0.0.0.0").allows("memgate.example")).isTrue();
    HostPolicy listed = HostPolicy.of(List.of("memgate.example"), "0.0.0.0");
    assertThat(listed.allows("memgate.example:443")).isTrue();
    assertThat(listed.allows("other.example")).isFalse();
    assertThatThrownBy(() -> HostPolicy.of(List.of("http://memgate.example"), "0.0.0.0"))
      .hasMessageContaining("not a host name");
  }
}
