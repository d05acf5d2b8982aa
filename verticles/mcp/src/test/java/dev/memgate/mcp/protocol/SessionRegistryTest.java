package dev.memgate.mcp.protocol;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Session ids, idle expiry and the session cap, on a clock the test moves by hand. */
class SessionRegistryTest {
  private final AtomicLong now = new AtomicLong(1_000_000);

  @Test
  void idsAreLongVisibleAsciiAndNeverRepeat() {
    SessionRegistry registry = new SessionRegistry(10_000, 60_000, now::get);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      String id = registry.open(Transport.STREAMABLE_HTTP, CallerIdentity.NONE).id();
      assertThat(id).matches("[\\x21-\\x7E]{32}");
      ids.add(id);
    }
    assertThat(ids).hasSize(1_000);
  }

  @Test
  void idleHttpSessionsExpireButConnectionsKeepTheirs() {
    SessionRegistry registry = new SessionRegistry(100, 60_000, now::get);
    McpSession idle = registry.open(Transport.STREAMABLE_HTTP, CallerIdentity.NONE);
    McpSession busy = registry.open(Transport.STREAMABLE_HTTP, CallerIdentity.NONE);
    McpSession socket = registry.open(Transport.WEBSOCKET, CallerIdentity.NONE);
    boolean[] closed = {false};
    idle.onClose(() -> closed[0] = true);

    now.addAndGet(45_000);
    registry.touch(busy);
    now.addAndGet(30_000);
    assertThat(registry.expireIdle()).isEqualTo(1);

    assertThat(registry.find(idle.id())).isNull();
    assertThat(closed[0]).isTrue();
    assertThat(registry.find(busy.id())).isSameAs(busy);
    assertThat(registry.find(socket.id())).isSameAs(socket);
  }

  @Test
  void theCapRefusesNewSessionsUntilOneEnds() {
    SessionRegistry registry = new SessionRegistry(2, 60_000, now::get);
    McpSession first = registry.open(Transport.STDIO, CallerIdentity.NONE);
    registry.open(Transport.STDIO, CallerIdentity.NONE);
    assertThat(registry.full()).isTrue();
    assertThat(registry.close(first.id())).isTrue();
    assertThat(registry.close(first.id())).isFalse();
    assertThat(registry.full()).isFalse();
  }
}
