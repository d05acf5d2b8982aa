package dev.memgate.vector.contract;

import dev.memgate.contract.BusError;
import dev.memgate.contract.BusFailure;
import dev.memgate.contract.Scope;
import dev.memgate.vector.HistoryEntry;
import dev.memgate.vector.MemoryRecord;
import dev.memgate.vector.MemoryStore;
import dev.memgate.vector.MemoryStore.Change;
import dev.memgate.vector.MemoryStore.ChangeOutcome;
import dev.memgate.vector.MemoryStore.MemoryPatch;
import dev.memgate.vector.filter.Filter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MemoryStore#apply}, the write behind an inferred add, as every store must do it: all changes with their
 * history rows, or nothing. Each store runs this unchanged through a subclass.
 */
public abstract class ApplyContract {
  protected static final MemoryStore.EmbeddingSpec SPEC = new MemoryStore.EmbeddingSpec("test-model", 4);
  private static final String T0 = "2026-11-23T10:00:00.000Z";
  private static final String T1 = "2026-11-23T11:00:00.000Z";

  protected Vertx vertx;
  protected MemoryStore store;

  protected abstract MemoryStore open(Vertx vertx);

  protected void closeStore() {
  }

  @BeforeEach
  void openStore() {
    vertx = Vertx.vertx();
    store = open(vertx);
  }

  @AfterEach
  void close() {
    store.close().await();
    closeStore();
    vertx.close().await();
  }

  private static MemoryRecord memory(Scope scope, String text, float... vector) {
    return new MemoryRecord(UUID.randomUUID().toString(), text, "hash-" + text, scope, null, "user",
      new JsonObject().put("topic", "t"), T0, T0, vector);
  }

  private static MemoryPatch newText(String id, String text) {
    return new MemoryPatch(id, text, "hash-" + text, new float[] {0, 0, 1, 0}, null, T1);
  }

  private BusFailure failureOf(Future<?> future) {
    Throwable cause = future.transform(done -> Future.succeededFuture(done.cause())).await();
    assertThat(cause).as("the apply should have failed").isNotNull();
    return BusFailure.from(cause);
  }

  @Test
  void addsUpdatesAndDeletesLandTogetherWithTheirHistory() {
    Scope alice = new Scope("alice", null, null);
    MemoryRecord likesTea = memory(alice, "likes tea", 1, 0, 0, 0);
    MemoryRecord livesInRome = memory(alice, "lives in Rome", 0, 1, 0, 0);
    store.insert(List.of(likesTea, livesInRome)).await();
    MemoryRecord movedToLisbon = memory(alice, "lives in Lisbon", 0, 0, 0, 1);

    List<ChangeOutcome> outcomes = store.apply(alice, List.of(
      new Change.Update(newText(likesTea.id(), "likes green tea")),
      new Change.Delete(livesInRome.id(), T1),
      new Change.Add(movedToLisbon))).await();

    assertThat(outcomes).extracting(ChangeOutcome::event).containsExactly("UPDATE", "DELETE", "ADD");
    assertThat(outcomes.get(0).previousText()).isEqualTo("likes tea");
    assertThat(outcomes.get(1).record().text()).isEqualTo("lives in Rome");
    assertThat(store.list(alice, Filter.MATCH_ALL, 10).await()).extracting(MemoryRecord::text)
      .containsExactlyInAnyOrder("likes green tea", "lives in Lisbon");
    assertThat(store.history(likesTea.id()).await()).extracting(HistoryEntry::event).containsExactly("ADD", "UPDATE");
    assertThat(store.history(livesInRome.id()).await()).extracting(HistoryEntry::event)
      .containsExactly("ADD", "DELETE");
    assertThat(store.history(movedToLisbon.id()).await()).extracting(HistoryEntry::event).containsExactly("ADD");
  }

  @Test
  void aChangeToAMemoryThatIsGoneWritesNothingAtAll() {
    Scope alice = new Scope("alice", null, null);
    MemoryRecord kept = memory(alice, "likes tea", 1, 0, 0, 0);
    MemoryRecord gone = memory(alice, "has a cat", 0, 1, 0, 0);
    store.insert(List.of(kept, gone)).await();
    store.delete(gone.id(), T1).await();

    BusFailure failure = failureOf(store.apply(alice, List.of(
      new Change.Add(memory(alice, "plays chess", 0, 0, 1, 0)),
      new Change.Update(newText(kept.id(), "likes coffee")),
      new Change.Update(newText(gone.id(), "has two cats")))));

    assertThat(failure.error()).isEqualTo(BusError.CONFLICT);
    assertThat(store.list(alice, Filter.MATCH_ALL, 10).await()).extracting(MemoryRecord::text)
      .containsExactly("likes tea");
    assertThat(store.history(kept.id()).await()).extracting(HistoryEntry::event).containsExactly("ADD");
  }

  @Test
  void aMemoryOfAnotherScopeCannotBeChanged() {
    Scope alice = new Scope("alice", null, null);
    MemoryRecord bobs = memory(new Scope("bob", null, null), "likes jazz", 1, 0, 0, 0);
    store.insert(List.of(bobs)).await();

    BusFailure failure = failureOf(store.apply(alice, List.of(new Change.Delete(bobs.id(), T1))));

    assertThat(failure.error()).as(failure.detail()).isEqualTo(BusError.CONFLICT);
    assertThat(store.get(bobs.id()).await().text()).isEqualTo("likes jazz");
  }

  @Test
  void anAddOfAKnownTextIsNoneAndTwoEqualAddsInOneApplyStoreOne() {
    Scope alice = new Scope("alice", null, null);
    MemoryRecord known = memory(alice, "likes tea", 1, 0, 0, 0);
    store.insert(List.of(known)).await();

    List<ChangeOutcome> outcomes = store.apply(alice, List.of(
      new Change.Add(memory(alice, "likes tea", 1, 0, 0, 0)),
      new Change.Add(memory(alice, "plays chess", 0, 1, 0, 0)),
      new Change.Add(memory(alice, "plays chess", 0, 1, 0, 0)))).await();

    assertThat(outcomes).extracting(ChangeOutcome::event).containsExactly("NONE", "ADD", "NONE");
    assertThat(outcomes.get(0).record().id()).isEqualTo(known.id());
    assertThat(outcomes.get(2).record().id()).isEqualTo(outcomes.get(1).record().id());
    assertThat(store.list(alice, Filter.MATCH_ALL, 10).await()).hasSize(2);
  }

  @Test
  void aMemoryNamedTwiceOrAnIdInUseIsRefusedBeforeAnyWrite() {
    Scope alice = new Scope("alice", null, null);
    MemoryRecord known = memory(alice, "likes tea", 1, 0, 0, 0);
    store.insert(List.of(known)).await();
    MemoryRecord sameId = new MemoryRecord(known.id(), "other text", "hash-other", alice, null, "user",
      new JsonObject(), T0, T0, new float[] {0, 1, 0, 0});

    assertThat(failureOf(store.apply(alice, List.of(new Change.Update(newText(known.id(), "a")),
      new Change.Delete(known.id(), T1)))).error()).isEqualTo(BusError.BAD_INPUT);
    assertThat(failureOf(store.apply(alice, List.of(new Change.Add(sameId)))).error())
      .isEqualTo(BusError.BAD_INPUT);
    assertThat(store.list(alice, Filter.MATCH_ALL, 10).await()).extracting(MemoryRecord::text)
      .containsExactly("likes tea");
  }
}
