package dev.memgate.bench;

import java.util.List;
import java.util.Random;

/** The words the generated sentences are made of: varied enough that texts and queries rarely repeat. */
final class Vocabulary {
  static final List<String> PEOPLE = List.of("Alice", "Bruno", "Chloe", "Daniel", "Elena", "Farid", "Grace", "Hiro",
    "Ines", "Jonas", "Kofi", "Lena", "Mateo", "Nadia", "Oscar", "Priya", "Quentin", "Rosa", "Samir", "Tara", "Umar",
    "Vera", "Wei", "Ximena", "Yusuf", "Zoe", "Aisha", "Bjorn", "Carmen", "Dmitri", "Esther", "Felix", "Gabriela",
    "Hassan", "Ingrid", "Jamal", "Keiko", "Luca", "Mei", "Nikolai");
  static final List<String> RELATIONS = List.of("sister", "brother", "cousin", "neighbour", "colleague",
    "best friend", "aunt", "uncle", "manager", "roommate", "grandmother", "grandfather", "daughter", "son", "mentor");
  static final List<String> CITIES = List.of("Lisbon", "Porto", "Madrid", "Barcelona", "Paris", "Lyon", "Berlin",
    "Munich", "Vienna", "Prague", "Warsaw", "Krakow", "Rome", "Milan", "Naples", "Athens", "Istanbul", "Cairo",
    "Nairobi", "Lagos", "Accra", "Cape Town", "Dubai", "Mumbai", "Delhi", "Bangalore", "Bangkok", "Hanoi", "Seoul",
    "Tokyo", "Osaka", "Sydney", "Melbourne", "Auckland", "Toronto", "Montreal", "Chicago", "Denver", "Seattle",
    "Austin", "Mexico City", "Bogota", "Lima", "Santiago", "Buenos Aires", "Sao Paulo");
  static final List<String> FOODS = List.of("sushi", "ramen", "pad thai", "paella", "lasagna", "tacos", "falafel",
    "hummus", "pho", "bibimbap", "curry", "dumplings", "pancakes", "croissants", "risotto", "goulash", "pierogi",
    "burritos", "ceviche", "couscous", "shakshuka", "kimchi", "tiramisu", "cheesecake", "miso soup",
    "fish and chips", "moussaka", "empanadas", "gnocchi", "baklava");
  static final List<String> HOBBIES = List.of("rock climbing", "birdwatching", "pottery", "chess", "knitting",
    "gardening", "surfing", "photography", "baking bread", "salsa dancing", "trail running", "woodworking",
    "watercolour painting", "fishing", "yoga", "scuba diving", "calligraphy", "origami", "board games", "stargazing",
    "sailing", "cycling", "skiing", "karaoke", "beekeeping");
  static final List<String> JOBS = List.of("nurse", "architect", "software engineer", "teacher", "pharmacist",
    "electrician", "journalist", "lawyer", "chef", "dentist", "accountant", "carpenter", "pilot", "veterinarian",
    "librarian", "firefighter", "data analyst", "photographer", "translator", "plumber", "physiotherapist",
    "graphic designer", "baker", "mechanic", "biologist");
  static final List<String> MONTHS = List.of("January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December");
  static final List<String> WEEKDAYS = List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    "Sunday");
  static final List<String> PETS = List.of("dog", "cat", "parrot", "rabbit", "turtle", "hamster", "goldfish",
    "ferret", "horse");
  static final List<String> PET_NAMES = List.of("Biscuit", "Luna", "Max", "Pepper", "Mochi", "Rocky", "Nala",
    "Ziggy", "Olive", "Toby", "Coco", "Simba", "Pixel", "Waffles", "Juniper");
  static final List<String> INSTRUMENTS = List.of("piano", "guitar", "violin", "cello", "drums", "saxophone", "flute",
    "trumpet", "ukulele", "harp", "accordion", "clarinet");
  static final List<String> LANGUAGES = List.of("Spanish", "Portuguese", "French", "German", "Italian", "Japanese",
    "Korean", "Mandarin", "Arabic", "Swahili", "Hindi", "Polish", "Turkish", "Greek", "Dutch");
  static final List<String> SPORTS = List.of("tennis", "football", "basketball", "volleyball", "badminton",
    "swimming", "rowing", "golf", "table tennis", "handball", "rugby", "cricket");
  static final List<String> COLORS = List.of("red", "blue", "green", "yellow", "purple", "orange", "teal", "grey",
    "black", "white");
  static final List<String> ALLERGENS = List.of("peanuts", "shellfish", "gluten", "dairy", "eggs", "soy",
    "strawberries", "sesame", "walnuts", "kiwi");

  private Vocabulary() {
  }

  /** Random choices from the lists, from one seeded source so that a run can be repeated exactly. */
  record Draw(Random random) {
    String person() {
      return pick(PEOPLE);
    }

    String relation() {
      return pick(RELATIONS);
    }

    String city() {
      return pick(CITIES);
    }

    String food() {
      return pick(FOODS);
    }

    String hobby() {
      return pick(HOBBIES);
    }

    String job() {
      return pick(JOBS);
    }

    String month() {
      return pick(MONTHS);
    }

    String weekday() {
      return pick(WEEKDAYS);
    }

    String year() {
      return String.valueOf(between(2008, 2025));
    }

    int between(int lowest, int highest) {
      return lowest + random.nextInt(highest - lowest + 1);
    }

    String pick(List<String> words) {
      return words.get(random.nextInt(words.size()));
    }
  }
}
