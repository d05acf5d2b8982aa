package dev.memgate.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Deterministic workload: short sentences (8 to 20 words) spread evenly over the users, and questions about them,
 * each scoped to the user who owns the fact it asks about. The same seed gives the same texts in the same order.
 *
 * <p>No two memories and no two questions of one generator share a text: the service caches query embeddings, and
 * a repeated query would measure the cache instead of the search.
 */
final class CorpusGenerator {
  static final int MIN_WORDS = 8;
  static final int MAX_WORDS = 20;
  private static final List<String> OPENERS = List.of("", "Quick question: ", "Remind me: ", "Do you remember? ",
    "I forgot: ");
  /** How often a draw may hit an existing text before the vocabulary is declared too small for the request. */
  private static final int ATTEMPTS_PER_TEXT = 1_000;

  private final Vocabulary.Draw factDraw;
  private final Random questionRandom;
  private final Set<String> factTexts = new HashSet<>();
  private final Set<String> questionTexts = new HashSet<>();

  CorpusGenerator(long seed) {
    this.factDraw = new Vocabulary.Draw(new Random(seed));
    // Its own stream, so that the questions do not change the facts (and the reverse) when counts change.
    this.questionRandom = new Random(seed * 31 + 17);
  }

  /** User ids for a run: user-01 ... user-10, zero-padded so that they sort. */
  static List<String> userIds(int users) {
    int width = String.valueOf(users).length();
    List<String> ids = new ArrayList<>(users);
    for (int i = 1; i <= users; i++) {
      ids.add(String.format("user-%0" + width + "d", i));
    }
    return ids;
  }

  /** {@code count} new facts, the i-th one for user {@code i % users.size()}. */
  List<Fact> facts(int count, List<String> users) {
    List<Fact> facts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      facts.add(newFact(users.get(i % users.size())));
    }
    return facts;
  }

  private Fact newFact(String userId) {
    for (int attempt = 0; attempt < ATTEMPTS_PER_TEXT; attempt++) {
      var template = FactTemplates.ALL.get(factDraw.random().nextInt(FactTemplates.ALL.size()));
      FactTemplates.Sentence sentence = template.apply(factDraw);
      int words = wordCount(sentence.text());
      if (words < MIN_WORDS || words > MAX_WORDS) {
        throw new IllegalStateException("template wrote " + words + " words: " + sentence.text());
      }
      if (factTexts.add(sentence.text())) {
        return new Fact(userId, sentence.text(), sentence.questions());
      }
    }
    throw new TooSmallException("the vocabulary cannot make " + (factTexts.size() + 1) + " different sentences");
  }

  /** {@code count} new questions, each about a fact drawn at random from {@code facts}. */
  List<Question> questions(List<Fact> facts, int count) {
    List<Question> questions = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      questions.add(newQuestion(facts));
    }
    return questions;
  }

  private Question newQuestion(List<Fact> facts) {
    for (int attempt = 0; attempt < ATTEMPTS_PER_TEXT; attempt++) {
      Fact fact = facts.get(questionRandom.nextInt(facts.size()));
      String text = OPENERS.get(questionRandom.nextInt(OPENERS.size()))
        + fact.questions().get(questionRandom.nextInt(fact.questions().size()));
      if (questionTexts.add(text)) {
        return new Question(fact.userId(), text, fact.key());
      }
    }
    throw new TooSmallException("the facts cannot make " + (questionTexts.size() + 1) + " different questions");
  }

  static int wordCount(String text) {
    String trimmed = text.strip();
    return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
  }

  /** The request asks for more different texts than the vocabulary or the facts can make. */
  static final class TooSmallException extends IllegalStateException {
    TooSmallException(String message) {
      super(message);
    }
  }
}
