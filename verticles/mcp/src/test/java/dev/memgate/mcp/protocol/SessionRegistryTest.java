package dev.memgate.mcp.protocol;

import dev.memgate.access.Caller;
import dev.memgate.access.Permission;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Session ids, idle expiry, the caps and who makes room, on a clock the test moves by hand. */
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
  void sessionsHeldByConnectionsAreNeverEndedToMakeRoomAndTheCapRefusesThenUntilOneEnds() {
    SessionRegistry registry = new SessionRegistry(2, 60_000, now::get);
    McpSession first = registry.open(Transport.STDIO, CallerIdentity.NONE);
    registry.open(Transport.WEBSOCKET, CallerIdentity.NONE, "127.0.0.1");
    assertThatThrownBy(() -> registry.open(Transport.STREAMABLE_HTTP, CallerIdentity.NONE, "127.0.0.1"))
      .isInstanceOfSatisfying(SessionLimitException.class, e -> assertThat(e.status()).isEqualTo(503));
    assertThat(registry.close(first.id())).isTrue();
    assertThat(registry.close(first.id())).isFalse();
    assertThat(registry.open(Transport.STREAMABLE_HTTP, CallerIdentity.NONE, "127.0.0.1")).isNotNull();
  }

  @Test
  void anAddressAtItsCapEndsItsOwnLeastRecentlyUsedSessionNotAnotherAddresss() {
    SessionRegistry registry = new SessionRegistry(new SessionLimits(100, 3, 2, 8, 60_000), now::get);
    McpSession other = registry.open(Transport.STREAMABLE_HTTP, CallerIdentity.NONE, "10.0.0.1");
    McpSession a = registry.open(Transport.STREAMABLE_HTTP, CallerIdentity.NONE, "10.0.0.2");
    McpSession b = registry.open(Transport.STREAMABLE_HTTP, CallerIdentity.NONE, "10.0.0.2");
    McpSession c = registry.open(Transport.STREAMABLE_HTTP, CallerIdentity.NONE, "10.0.0.2");
    registry.touch(a);

    McpSession d = registry.open(Transport.STREAMABLE_HTTP, CallerIdentity.NONE, "10.0.0.2");

    assertThat(registry.find(b.id())).as("the least recently used of that address").isNull();
    assertThat(b.closed()).isTrue();
    assertThat(registry.find(a.id())).isSameAs(a);
    assertThat(registry.find(c.id())).isSameAs(c);
    assertThat(registry.find(d.id())).isSameAs(d);
    assertThat(registry.find(other.id())).isSameAs(other);
  }

  @Test
  void aFullServerEndsTheLeastRecentlyUsedSessionOfAnyAddress() {
    SessionRegistry registry = new SessionRegistry(new SessionLimits(3, 3, 2, 8, 60_000), now::get);
    McpSession oldest = registry.open(Transport.STREAMABLE_HTTP, CallerIdentity.NONE, "10.0.0.1");
    McpSession used = registry.open(Transport.STREAMABLE_HTTP, CallerIdentity.NONE, "10.0.0.2");
    McpSession stream = registry.open(Transport.LEGACY_SSE, CallerIdentity.NONE, "10.0.0.2");
    registry.touch(oldest);
    McpSession newcomer = registry.open(Transport.STREAMABLE_HTTP, CallerIdentity.NONE, "10.0.0.3");
    assertThat(registry.find(used.id())).isNull();
    assertThat(registry.find(oldest.id())).isSameAs(oldest);
    assertThat(registry.find(stream.id())).isSameAs(stream);
    assertThat(registry.find(newcomer.id())).isSameAs(newcomer);
  }

  @Test
  void streamsAreCountedPerAddressAndRefusedPastTheLimit() {
    SessionRegistry registry = new SessionRegistry(new SessionLimits(100, 100, 2, 8, 60_000), now::get);
    McpSession first = registry.open(Transport.WEBSOCKET, CallerIdentity.NONE, "10.0.0.2");
    registry.open(Transport.LEGACY_SSE, CallerIdentity.NONE, "10.0.0.2");
    assertThatThrownBy(() -> registry.checkAdmission(Transport.WEBSOCKET, "10.0.0.2"))
      .isInstanceOfSatisfying(SessionLimitException.class, e -> assertThat(e.status()).isEqualTo(429));
    registry.checkAdmission(Transport.WEBSOCKET, "10.0.0.3");
    registry.checkAdmission(Transport.STREAMABLE_HTTP, "10.0.0.2");
    registry.close(first.id());
    registry.checkAdmission(Transport.WEBSOCKET, "10.0.0.2");
  }

  @Test
  void anAuthenticatedCallersSessionsAndStreamsCountPerKeyWhateverItsAddress() {
    SessionRegistry registry = new SessionRegistry(new SessionLimits(100, 2, 2, 8, 60_000), now::get);
    CallerIdentity alice = new CallerIdentity(null, null, null, key("alice"));
    CallerIdentity bob = new CallerIdentity(null, null, null, key("bob"));
    registry.open(Transport.WEBSOCKET, alice, "10.0.0.2");
    registry.open(Transport.WEBSOCKET, alice, "10.0.0.3");
    assertThatThrownBy(() -> registry.checkAdmission(Transport.WEBSOCKET, alice, "10.0.0.4"))
      .as("a third stream of the same key from a third address")
      .isInstanceOfSatisfying(SessionLimitException.class, e -> assertThat(e.getMessage()).contains("this key"));
    registry.checkAdmission(Transport.WEBSOCKET, bob, "10.0.0.2");

    // Sessions no connection holds: alice's third makes room among alice's own, never bob's at the same address.
    McpSession bobs = registry.open(Transport.STREAMABLE_HTTP, bob, "10.0.0.2");
    McpSession first = registry.open(Transport.STREAMABLE_HTTP, alice, "10.0.0.2");
    registry.open(Transport.STREAMABLE_HTTP, alice, "10.0.0.5");
    registry.open(Transport.STREAMABLE_HTTP, alice, "10.0.0.6");
    assertThat(registry.find(first.id())).isNull();
    assertThat(registry.find(bobs.id())).isSameAs(bobs);
  }

  private static Caller key(String id) {
    return new Caller(id, Caller.Kind.KEY, id, null, null, null, Permission.ALL, null, null);
  }

  @Test
  void aBatchRunsAtMostMaxInFlightRequestsAtOnceAndAllOfThemInTheEnd() {
    SessionRegistry registry = new SessionRegistry(new SessionLimits(100, 100, 2, 3, 60_000), now::get);
    McpSession session = registry.open(Transport.WEBSOCKET, CallerIdentity.NONE, "10.0.0.2");
    List<Promise<Integer>> started = new ArrayList<>();
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      answers.add(session.inTurn(() -> {
        Promise<Integer> promise = Promise.promise();
        started.add(promise);
        return promise.future();
      }));
    }
    assertThat(started).hasSize(3);
    started.get(0).complete(0);
    assertThat(started).hasSize(4);
    for (int i = 1; i < 10; i++) {
      started.get(i).complete(i);
    }
    assertThat(answers).allMatch(Future::succeeded);
    // Answers that come at once start the next in a loop: many of them do not overflow the stack.
    List<Future<Integer>> quick = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      int n = i;
      quick.add(session.inTurn(() -> Future.succeededFuture(n)));
    }
    assertThat(quick).allMatch(Future::succeeded);
  }
}
