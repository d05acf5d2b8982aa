package dev.memgate.bench;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated workload: repeatable, varied, short, spread over the users, and questions about the right user. */
class CorpusGeneratorTest {
  private static final List<String> USERS = CorpusGenerator.userIds(10);

  @Test
  void theSameSeedGivesTheSameMemoriesAndQuestions() {
    CorpusGenerator first = new CorpusGenerator(7);
    CorpusGenerator second = new CorpusGenerator(7);
    List<Fact> facts = first.facts(500, USERS);

    assertThat(second.facts(500, USERS)).isEqualTo(facts);
    assertThat(second.questions(facts, 200)).isEqualTo(first.questions(facts, 200));
    assertThat(new CorpusGenerator(8).facts(500, USERS)).isNotEqualTo(facts);
  }

  @Test
  void memoriesAreDistinctShortSentencesSpreadEvenlyOverTheUsers() {
    List<Fact> facts = new CorpusGenerator(42).facts(10_000, USERS);

    assertThat(facts.stream().map(Fact::text).collect(Collectors.toSet())).hasSize(10_000);
    assertThat(facts).allSatisfy(fact -> assertThat(CorpusGenerator.wordCount(fact.text())).isBetween(8, 20));
    Map<String, Long> perUser = facts.stream().collect(Collectors.groupingBy(Fact::userId, Collectors.counting()));
    assertThat(perUser).hasSize(10).allSatisfy((user, count) -> assertThat(count).isEqualTo(1_000L));
  }

  @Test
  void theVocabularyIsVaried() {
    List<Fact> facts = new CorpusGenerator(42).facts(2_000, USERS);
    Set<String> words = new HashSet<>();
    facts.forEach(f -> words.addAll(List.of(f.text().toLowerCase().split("\\W+"))));

    assertThat(words.size()).isGreaterThan(300);
  }

  @Test
  void everyQuestionIsNewAndScopedToTheUserWhoseFactItAsksAbout() {
    CorpusGenerator generator = new CorpusGenerator(42);
    List<Fact> facts = generator.facts(1_000, USERS);
    Map<String, Fact> byKey = facts.stream().collect(Collectors.toMap(Fact::key, Function.identity()));

    List<Question> warmup = generator.questions(facts, 300);
    List<Question> timed = generator.questions(facts, 1_000);

    Set<String> texts = new HashSet<>();
    warmup.forEach(q -> texts.add(q.text()));
    timed.forEach(q -> texts.add(q.text()));
    assertThat(texts).hasSize(1_300);
    assertThat(timed).allSatisfy(question -> {
      Fact source = byKey.get(question.sourceKey());
      assertThat(source).isNotNull();
      assertThat(question.userId()).isEqualTo(source.userId());
      assertThat(source.questions()).anySatisfy(asked -> assertThat(question.text()).endsWith(asked));
    });
    assertThat(timed.stream().map(Question::userId).distinct()).hasSize(10);
  }
}
