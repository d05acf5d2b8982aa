package dev.memgate.bench;

import java.util.List;
import java.util.function.Function;

import static dev.memgate.bench.Vocabulary.ALLERGENS;
import static dev.memgate.bench.Vocabulary.COLORS;
import static dev.memgate.bench.Vocabulary.INSTRUMENTS;
import static dev.memgate.bench.Vocabulary.LANGUAGES;
import static dev.memgate.bench.Vocabulary.PETS;
import static dev.memgate.bench.Vocabulary.PET_NAMES;
import static dev.memgate.bench.Vocabulary.SPORTS;

/**
 * The kinds of things users tell an assistant about themselves, each with the questions they might later ask about
 * it. Every question names something from its fact, so that it is about that fact and seldom repeats word for word.
 */
final class FactTemplates {

  /** A fact's text and the questions it answers. */
  record Sentence(String text, List<String> questions) {
  }

  static final List<Function<Vocabulary.Draw, Sentence>> ALL = List.of(
    d -> {
      String relation = d.relation();
      String person = d.person();
      String city = d.city();
      String year = d.year();
      return new Sentence("My " + relation + " " + person + " moved to " + city + " in " + d.month() + " " + year
        + " to start a new job.", List.of(
        "Where did my " + relation + " " + person + " move in " + year + "?",
        "When did " + person + " move to " + city + "?"));
    },
    d -> {
      String person = d.person();
      String job = d.job();
      String city = d.city();
      return new Sentence(person + " works as a " + job + " in " + city + " and starts work early every "
        + d.weekday() + ".", List.of(
        "What does " + person + " do for a living in " + city + "?",
        "Which of my friends is a " + job + ", " + person + "?"));
    },
    d -> {
      String allergen = d.pick(ALLERGENS);
      String food = d.food();
      return new Sentence("I am allergic to " + allergen + ", so never suggest " + food + " made with it.", List.of(
        "Can I eat " + food + " if it contains " + allergen + "?",
        "What am I allergic to when I order " + food + "?"));
    },
    d -> {
      String food = d.food();
      String city = d.city();
      return new Sentence("My favourite food is " + food + ", especially from a small place I found in " + city
        + ".", List.of(
        "Where do I get my favourite " + food + "?",
        "What is my favourite food from " + city + "?"));
    },
    d -> {
      String weekday = d.weekday();
      String hobby = d.hobby();
      String relation = d.relation();
      String person = d.person();
      return new Sentence("I spend every " + weekday + " afternoon on " + hobby + " with my " + relation + " "
        + person + ".", List.of(
        "Who do I do " + hobby + " with on " + weekday + "s?",
        "What hobby do I share with my " + relation + " " + person + "?"));
    },
    d -> {
      String pet = d.pick(PETS);
      String name = d.pick(PET_NAMES);
      String city = d.city();
      String year = d.year();
      return new Sentence("We adopted a " + pet + " named " + name + " in " + d.month() + " " + year
        + " from a shelter in " + city + ".", List.of(
        "When did we adopt " + name + " the " + pet + "?",
        "Where does our " + pet + " " + name + " come from?"));
    },
    d -> {
      String language = d.pick(LANGUAGES);
      String person = d.person();
      String city = d.city();
      int years = d.between(2, 9);
      return new Sentence("I have been learning " + language + " for " + years + " years because " + person
        + " lives in " + city + ".", List.of(
        "Why am I learning " + language + " for " + person + "?",
        "How long have I studied " + language + " to talk with " + person + "?"));
    },
    d -> {
      String person = d.person();
      String month = d.month();
      int day = d.between(1, 28);
      String color = d.pick(COLORS);
      return new Sentence(person + "'s birthday is on " + month + " " + day + " and a " + color
        + " scarf would make a nice present.", List.of(
        "When is " + person + "'s birthday, the one who wants a scarf?",
        "What present should I buy " + person + " in " + month + "?"));
    },
    d -> {
      String sport = d.pick(SPORTS);
      String job = d.job();
      String weekday = d.weekday();
      return new Sentence("I play " + sport + " with the " + job + " team from work every " + weekday
        + " evening.", List.of(
        "When do I play " + sport + " with my colleagues?",
        "Which colleagues do I play " + sport + " with on " + weekday + "?"));
    },
    d -> {
      String relation = d.relation();
      String person = d.person();
      String city = d.city();
      String month = d.month();
      return new Sentence("My " + relation + " " + person + " is getting married in " + city + " next " + month
        + ", so I need a suit.", List.of(
        "Where is " + person + "'s wedding in " + month + "?",
        "When is my " + relation + " " + person + " getting married?"));
    },
    d -> {
      String instrument = d.pick(INSTRUMENTS);
      String year = d.year();
      String city = d.city();
      return new Sentence("I finished a " + instrument + " course in " + year + " and now play in a small band in "
        + city + ".", List.of(
        "When did I finish my " + instrument + " course?",
        "Where do I play " + instrument + " with my band?"));
    },
    d -> {
      String person = d.person();
      String food = d.food();
      String city = d.city();
      return new Sentence(person + " recommended a " + food + " restaurant near the old station in " + city
        + " last " + d.month() + ".", List.of(
        "Which " + food + " restaurant in " + city + " was recommended to me?",
        "Who told me about the " + food + " place in " + city + "?"));
    },
    d -> {
      String city = d.city();
      String month = d.month();
      String person = d.person();
      String food = d.food();
      return new Sentence("I want to visit " + city + " in " + month + " to see " + person
        + " and try the local " + food + ".", List.of(
        "When am I planning to visit " + person + " in " + city + "?",
        "Why do I want to travel to " + city + " in " + month + "?"));
    },
    d -> {
      String sport = d.pick(SPORTS);
      String year = d.year();
      return new Sentence("My doctor told me to take up " + sport + " after my knee surgery in " + year + ".",
        List.of(
          "Which sport did the doctor suggest after my surgery in " + year + "?",
          "Why did I start playing " + sport + "?"));
    },
    d -> {
      String person = d.person();
      String hobby = d.hobby();
      String city = d.city();
      return new Sentence(person + " got me into " + hobby + " when we shared a flat in " + city + " years ago.",
        List.of(
          "Who introduced me to " + hobby + "?",
          "How did I get into " + hobby + " in " + city + "?"));
    });

  private FactTemplates() {
  }
}
